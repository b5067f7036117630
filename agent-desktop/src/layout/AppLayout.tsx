import { AppShell, Burger, Group, NavLink, ScrollArea, SegmentedControl, Text, Tooltip } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconAddressBook,
  IconBook,
  IconHeadset,
  IconListCheck,
  IconLogout,
  IconPhoneCall,
  IconPhoneX,
  IconPlugConnectedX,
  IconScript,
  IconTimeline,
} from "@tabler/icons-react";
import { lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { AgentStateBar } from "../agent/AgentStateBar.tsx";
import { useAuth } from "../auth/authStore.ts";
import { MissedCallsBadge } from "../callbacks/MissedCallsBadge.tsx";
import { CallCards } from "../calls/CallCards.tsx";
import { setLanguage, type Language } from "../i18n/i18n.ts";
import "../kb/i18n.ts";
import { canEditScripts } from "../scripts/canEditScripts.ts";
import { ShellBridge } from "../shell/ShellBridge.tsx";
import { useConnection } from "../socket.ts";
import { canSupervise } from "../supervisor/canSupervise.ts";
import "../supervisor/navI18n.ts";

// The SIP stack (sip.js, ~50 KB gzipped) loads right after the first paint, while the desktop fetches the
// SIP credentials it needs anyway: the login page and the call cards do not wait for it.
const SoftphonePanel = lazy(() =>
  import("../softphone/SoftphonePanel.tsx").then((m) => ({ default: m.SoftphonePanel })),
);

const NAV = [
  { href: "/", label: "nav.calls", icon: IconPhoneCall },
  { href: "/missed", label: "callbacks:nav", icon: IconPhoneX, Badge: MissedCallsBadge },
  { href: "/contacts", label: "nav.contacts", icon: IconAddressBook },
  { href: "/tasks", label: "nav.tasks", icon: IconListCheck },
  { href: "/kb", label: "kb:title", icon: IconBook },
  { href: "/scripts", label: "kb:navScripts", icon: IconScript, isForEditors: true },
  { href: "/supervisor/calls", label: "supervisor:nav.calls", icon: IconTimeline, isForSupervisors: true },
  { href: "/supervisor/board", label: "supervisor:nav.board", icon: IconHeadset, isForSupervisors: true },
] as const;

/**
 * The frame around every page: navigation (a burger menu on a phone), the softphone, and the call cards
 * above the page so a ringing call is never behind another screen.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const me = useAuth((s) => s.me);
  const logout = useAuth((s) => s.logout);
  const socket = useConnection((s) => s.status);
  const offline = socket === "waiting";

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      aside={{ width: 320, breakpoint: "md", collapsed: { mobile: true } }}
      padding="md"
      // Whether live updates arrive; the browser journeys wait for "open" before a call rings.
      data-socket={socket}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Text fw={700} size="lg">
              {t("app.name")}
            </Text>
            {offline ? (
              <Tooltip label={t("app.offline")}>
                <IconPlugConnectedX
                  color="var(--mantine-color-red-6)"
                  size={20}
                  aria-label={t("app.offline")}
                />
              </Tooltip>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <AgentStateBar />
            <Text size="sm" visibleFrom="sm">
              {me?.fullName}
              {me?.extension ? ` · ${me.extension}` : ""}
            </Text>
            <SegmentedControl
              size="xs"
              value={i18n.language}
              onChange={(lang) => setLanguage(lang as Language)}
              data={[
                { value: "ru", label: "RU" },
                { value: "en", label: "EN" },
              ]}
              aria-label={t("nav.language")}
            />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {NAV.filter(
            (item) =>
              (!("isForEditors" in item) || canEditScripts(me)) &&
              (!("isForSupervisors" in item) || canSupervise(me)),
          ).map((item) => (
            <NavLink
              key={item.href}
              component={Link}
              href={item.href}
              label={t(item.label)}
              leftSection={<item.icon size={18} />}
              rightSection={"Badge" in item ? <item.Badge /> : null}
              active={item.href === "/" ? location === "/" : location.startsWith(item.href)}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink
            label={t("nav.logout")}
            leftSection={<IconLogout size={18} />}
            onClick={() => void logout()}
          />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Aside p="xs">
        <Suspense fallback={null}>
          <SoftphonePanel />
        </Suspense>
      </AppShell.Aside>
      <AppShell.Main>
        <ShellBridge />
        <CallCards />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
