// The CommonJS entry under node16 resolution: require() gets the same typed API.
import userflow = require("userflow.js");
import server = require("userflow.js/server");

userflow.init("tok", { endpoint: "https://collector.example.com" });
void userflow.identify(server.deriveUserId("secret", 7), { plan: "pro" }, { hashed: true });
void userflow.default.track("clicked");
void userflow.userflow.reset();
userflow.on("error", (e) => { const why: string = e.message; void why; });
// @ts-expect-error track needs a name
void userflow.track();
