"""Derive a user ID on the customer's server, so the ID the browser sends cannot be reversed.

With `hashUserId` the SDK sends hex(HMAC-SHA256(key=project token, msg=user ID)). The token is
public (it is in every page), so anyone holding it can reverse an ID from a small space (an
account number, an e-mail address) by trying candidates. Derived on the server with a secret
that never reaches the browser, the ID is opaque to everyone but the customer:

    derived = derive_user_id(SECRET, user.email)      # on the server, per request
    userflow.identify(derived, attrs, {hashed: true})  # in the page: sent as is

The same function ships for Node in the npm package (`import {deriveUserId} from
"userflow.js/server"`); a test checks the two agree.
"""

import hashlib
import hmac


def derive_user_id(secret: str | bytes, user_id: str | int) -> str:
    """hex(HMAC-SHA256(key=secret, msg=UTF-8 of user_id)): 64 lower-case hex digits, the form
    `identify(id, attrs, {hashed: true})` accepts. Integers are taken as their decimal text."""
    key = secret.encode('utf-8') if isinstance(secret, str) else secret
    if not key:
        raise ValueError('derive_user_id: the secret must not be empty')
    return hmac.new(key, str(user_id).encode('utf-8'), hashlib.sha256).hexdigest()
