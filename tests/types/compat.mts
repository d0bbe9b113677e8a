// Issue 15: every method of Userflow.js 2.14's public typings exists on this SDK's `userflow`
// (original.d.ts is node_modules/userflow-js-2-14/dist/types/userflow.d.ts, copied by the test).
import userflow from "userflow.js";
import type { Userflow as UserflowJs } from "./original.js";

type Methods = Exclude<keyof UserflowJs, "_stubbed">;
const everyMethod: { [K in Methods]: (...args: never[]) => unknown } = userflow;
void everyMethod;

// The forms Userflow.js's documentation shows, as an app written for it calls them.
void userflow.load();
void userflow.identify("u1", { plan: { set: "pro" }, logins: { add: 1 }, first: { set_once: "2024-01-01", data_type: "datetime" } });
void userflow.updateUser({ tags: { append: "beta" }, old: { unset: true } }, { signature: "s" });
void userflow.group("acme", { seats: { subtract: 1 } }, { membership: { role: "admin" } });
void userflow.updateGroup({ plan: "team" }, { signature: "s" });
void userflow.track("invited", { n: { set: 2 } }, { userOnly: true });
void userflow.startFlow("welcome");
void userflow.startWalk("welcome", { once: true });
void userflow.endAllFlows();
void userflow.endChecklist();
void userflow.debugger();
userflow.openResourceCenter();
userflow.closeResourceCenter();
userflow.toggleResourceCenter();
userflow.setResourceCenterLauncherHidden(true);
const state = userflow.getResourceCenterState();
void (state === null ? 0 : state.uncompletedChecklistTaskCount);
userflow.setCustomInputSelector(".my-input");
userflow.registerCustomInput(".rich-editor", (el) => el.textContent ?? "");
userflow.setLinkUrlDecorator((url) => url + "?ref=tour");
userflow.setScrollPadding({ top: 64 });
userflow.setCustomScrollIntoView((el) => el.scrollIntoView());
userflow.setShadowDomEnabled(true);
userflow.setInferenceAttributeNames(["data-testid"]);
userflow.setInferenceAttributeFilter("id", [/^\d+$/]);
userflow.setInferenceClassNameFilter((name) => !name.startsWith("css-"));
userflow.prepareAudio();
userflow.disableEvalJs();
// @ts-expect-error add takes a number
void userflow.updateUser({ n: { add: "5" } });
// @ts-expect-error a method Userflow.js does not have
userflow.openFlowMenu();
