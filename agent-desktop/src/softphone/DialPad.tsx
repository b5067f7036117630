import { Button, SimpleGrid } from "@mantine/core";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"] as const;

export interface DialPadProps {
  onPress: (key: string) => void;
  disabled?: boolean;
}

/** The twelve telephone keys; during a call each press is sent as DTMF, before it it types the number. */
export function DialPad({ onPress, disabled = false }: DialPadProps) {
  return (
    <SimpleGrid cols={3} spacing={4} verticalSpacing={4}>
      {KEYS.map((key) => (
        <Button
          key={key}
          variant="default"
          size="sm"
          disabled={disabled}
          onClick={() => onPress(key)}
          aria-label={key}
          data-testid={`dtmf-${key}`}
        >
          {key}
        </Button>
      ))}
    </SimpleGrid>
  );
}
