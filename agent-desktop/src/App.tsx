import { Button, Center, Loader, Modal, Text } from "@mantine/core";
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Route, Switch } from "wouter";
import { useAuth } from "./auth/authStore.ts";
import { LoginPage } from "./auth/LoginPage.tsx";
import { CallsPage } from "./calls/CallCards.tsx";
import { ContactsPage } from "./contacts/ContactsPage.tsx";
import { AppLayout } from "./layout/AppLayout.tsx";
import { startSocket, useConnection } from "./socket.ts";
import { TasksPage } from "./tasks/TasksPage.tsx";

// Screens an agent opens now and then load on first use; the call card and lists are in the first bundle.
const ContactPage = lazy(() =>
  import("./contacts/ContactPage.tsx").then((m) => ({ default: m.ContactPage })),
);
const DealPage = lazy(() => import("./deals/DealPage.tsx").then((m) => ({ default: m.DealPage })));
const KbPage = lazy(() => import("./kb/KbPage.tsx").then((m) => ({ default: m.KbPage })));
const MissedCallsPage = lazy(() =>
  import("./callbacks/MissedCallsPage.tsx").then((m) => ({ default: m.MissedCallsPage })),
);
// The supervisor's script editor never loads for an agent.
const ScriptsAdminPage = lazy(() =>
  import("./scripts/editor/ScriptsAdminPage.tsx").then((m) => ({ default: m.ScriptsAdminPage })),
);
// The supervisor's journal (with wavesurfer) and board: chunks of their own, outside the agent's first load.
const CallsJournalPage = lazy(() =>
  import("./supervisor/CallsJournalPage.tsx").then((m) => ({ default: m.CallsJournalPage })),
);
const BoardPage = lazy(() => import("./supervisor/BoardPage.tsx").then((m) => ({ default: m.BoardPage })));

export function App() {
  const status = useAuth((s) => s.status);
  const restore = useAuth((s) => s.restore);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => (status === "signedIn" ? startSocket() : undefined), [status]);

  if (status === "unknown") {
    return (
      <Center mih="100dvh">
        <Loader />
      </Center>
    );
  }
  if (status === "anonymous") {
    return <LoginPage />;
  }
  return (
    <AppLayout>
      <ReloadPrompt />
      <Suspense fallback={<Loader m="xl" />}>
        <Switch>
          <Route path="/" component={CallsPage} />
          <Route path="/contacts" component={ContactsPage} />
          <Route path="/contacts/:id">{(params) => <ContactPage id={params.id} />}</Route>
          <Route path="/tasks" component={TasksPage} />
          <Route path="/missed" component={MissedCallsPage} />
          <Route path="/deals/:id">{(params) => <DealPage id={params.id} />}</Route>
          <Route path="/kb" component={KbPage} />
          <Route path="/scripts">{() => <ScriptsAdminPage />}</Route>
          <Route path="/scripts/:id">{(params) => <ScriptsAdminPage id={params.id} />}</Route>
          <Route path="/supervisor/calls" component={CallsJournalPage} />
          <Route path="/supervisor/board" component={BoardPage} />
          <Route>
            <CallsPage />
          </Route>
        </Switch>
      </Suspense>
    </AppLayout>
  );
}

/** crm-api speaks a newer protocol: the agent reloads when convenient (never in the middle of a call by force). */
function ReloadPrompt() {
  const { t } = useTranslation();
  const needsReload = useConnection((s) => s.needsReload);
  return (
    <Modal
      opened={needsReload}
      onClose={() => useConnection.setState({ needsReload: false })}
      title={t("protocol.title")}
    >
      <Text mb="md">{t("protocol.body")}</Text>
      <Button onClick={() => window.location.reload()}>{t("app.reload")}</Button>
    </Modal>
  );
}
