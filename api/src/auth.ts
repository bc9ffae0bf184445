/**
 * `@anvil/api/auth`: the API's authentication for other HTTP services of Anvil (the compute API in nova-bridge)
 * and Keystone's password method for its clients, so credentials and tokens are checked and obtained one way.
 */
export { type AuthState, authMiddleware } from './middleware/auth.ts';
export { type PasswordCredentials, KEYSTONE_401_BODY, passwordToken } from './middleware/auth-keystone.ts';
