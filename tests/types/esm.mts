// Every form the README documents compiles; wrong calls do not (tsc --strict, ESM).
import userflow, { userflow as named } from "userflow.js";
import { deriveUserId } from "userflow.js/server";

userflow.init("tok", { endpoint: "https://collector.example.com", privacy: "analytics" });
userflow.init("tok", { endpoint: null, hashUserId: false, allowedAttributes: ["plan"], searchShadowRoots: true });
userflow.init("tok");
userflow.init("tok", { locale: "de-AT" });
named.setServerEndpoint("https://collector.example.com");
const identified: Promise<void> = userflow.identify("user-1", { plan: "pro", seats: 3, tags: ["a", "b"], trial: null });
void identified;
void userflow.identify(42);
void userflow.identify(deriveUserId("secret", "jane@example.com"), {}, { hashed: true });
void userflow.identify("u", {}, { signature: "abc" });
void userflow.identifyAnonymous({ plan: "free" });
void userflow.updateUser({ plan: "team" });
void userflow.group("acme", { size: 10 }, { signature: "s" });
void userflow.updateGroup({ size: 11 });
void userflow.track("clicked", { n: 1 });
void userflow.start("welcome", { once: true });
void userflow.endAll();
void userflow.reset();
void userflow.loadContent({ version: 1, flows: [] });
void userflow.loadContent('{"version": 1, "flows": []}');
const yes: boolean = userflow.isIdentified();
void yes;
userflow.setPageTrackingDisabled(true);
userflow.setUrlFilter((url) => url.replace(/\/users\/[^/]+/, "/users/:id"));
userflow.setUrlFilter(null);
userflow.on("flowStarted", (e) => { const id: string = e.flowId; void id; });
userflow.on("stepChanged", (e) => { const step: string = e.stepId; void step; });
userflow.on("flowEnded", (e) => { const done: boolean = e.completed; void done; });
userflow.on("checklistEnded", (e) => { const id: string = e.checklistId; void id; });
userflow.on("error", (e) => { const why: string = e.message + e.method; void why; });
userflow.setBaseZIndex(1000);
userflow.setCustomNavigate((url) => { history.pushState({}, "", url); });
userflow.setCustomNavigate(null);
userflow.remount();
userflow.setCoreUrl("/assets/userflow-core.js");
const log = userflow.getEgressLog();
const kinds: string[] = log.map((r) => r.kind + r.method + r.url + (r.body ?? ""));
const dropped: number = log.dropped;
const refused: number = log.droppedBy.refused + log.droppedBy.full + log.droppedBy.purged;
void kinds; void dropped; void refused;
window.userflow?.track("from-the-script-tag");

// @ts-expect-error the token is a string
userflow.init(42);
// @ts-expect-error an unknown privacy level
userflow.init("tok", { privacy: "paranoid" });
// @ts-expect-error attributes are scalars or lists of scalars
void userflow.identify("u", { nested: { a: 1 } });
// @ts-expect-error an unknown event name
userflow.on("flowExploded", () => {});
// @ts-expect-error flowStarted has no stepId
userflow.on("flowStarted", (e) => e.stepId);
// @ts-expect-error isIdentified is synchronous
void userflow.isIdentified().then;
