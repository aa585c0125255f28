// The environment variables that carry a control-plane credential, by name: the rules that
// choose between them are auth/credential-origin.ts; the control plane's hints only name them.
export const otherApiTokenEnv = 'ARTIFACTS_API_TOKEN';
export const cloudflareTokenEnv = 'CLOUDFLARE_API_TOKEN';
export const gatewayJwtEnv = 'ARTIFACTS_JWT';
export const cloudflareBaseEnv = 'CLOUDFLARE_API_BASE_URL';
