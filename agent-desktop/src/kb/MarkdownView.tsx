import { Anchor, Code, Divider, List, Stack, Text, Title } from "@mantine/core";
import { Fragment, useMemo } from "react";
import { parseMarkdown, type Inline } from "./markdown.ts";

export interface MarkdownViewProps {
  markdown: string;
}

function InlineText({ parts }: { parts: Inline[] }) {
  return parts.map((part, i) => {
    switch (part.kind) {
      case "text":
        return <Fragment key={i}>{part.text}</Fragment>;
      case "bold":
        return <strong key={i}>{part.text}</strong>;
      case "italic":
        return <em key={i}>{part.text}</em>;
      case "code":
        return <Code key={i}>{part.text}</Code>;
      case "link":
        return (
          <Anchor key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </Anchor>
        );
    }
  });
}

/** An article body as React elements (see markdown.ts: no HTML from the article reaches the DOM). */
export function MarkdownView({ markdown }: MarkdownViewProps) {
  const blocks = useMemo(() => parseMarkdown(markdown), [markdown]);
  return (
    <Stack gap="sm">
      {blocks.map((block, i) => {
        switch (block.kind) {
          case "heading":
            return (
              <Title key={i} order={Math.min(block.level + 2, 6) as 3 | 4 | 5 | 6}>
                <InlineText parts={block.content} />
              </Title>
            );
          case "paragraph":
            return (
              <Text key={i}>
                {block.lines.map((line, j) => (
                  <Fragment key={j}>
                    {j > 0 ? <br /> : null}
                    <InlineText parts={line} />
                  </Fragment>
                ))}
              </Text>
            );
          case "list":
            return (
              <List key={i} type={block.isOrdered ? "ordered" : "unordered"}>
                {block.items.map((item, j) => (
                  <List.Item key={j}>
                    <InlineText parts={item} />
                  </List.Item>
                ))}
              </List>
            );
          case "rule":
            return <Divider key={i} />;
        }
      })}
    </Stack>
  );
}
