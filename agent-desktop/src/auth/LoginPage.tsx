import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, describeError } from "../api.ts";
import { useAuth } from "./authStore.ts";

export function LoginPage() {
  const { t } = useTranslation();
  const login = useAuth((s) => s.login);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(name.trim(), password);
    } catch (err) {
      const failed = err instanceof ApiError && err.code === "invalid_credentials";
      setError(failed ? t("login.failed") : err instanceof ApiError ? describeError(err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="md" p="xl" radius="md" w="100%" maw={380}>
        <form onSubmit={(e) => void handleSubmit(e)}>
          <Stack>
            <Title order={2}>{t("login.title")}</Title>
            <TextInput
              label={t("login.login")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              autoComplete="username"
              required
              autoFocus
            />
            <PasswordInput
              label={t("login.password")}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="current-password"
              required
            />
            {error ? (
              <Text c="red" size="sm" role="alert">
                {error}
              </Text>
            ) : null}
            <Button type="submit" loading={busy} fullWidth>
              {t("login.submit")}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
