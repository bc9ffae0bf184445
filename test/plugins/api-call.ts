/** One JSON request against an Anvil API at microversion `latest`: status, raw text, parsed body and the fault string. */
export interface ApiAnswer {
  status: number;
  text: string;
  body: any;
  /** faultstring inside error_message (Ironic's error body), or null */
  fault: any;
}

export async function callApi(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const r = await fetch(baseUrl + path, {
    method,
    headers: { 'X-OpenStack-Ironic-API-Version': 'latest', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const parsed = text ? JSON.parse(text) : null;
  const fault = parsed && typeof parsed.error_message === 'string' ? JSON.parse(parsed.error_message).faultstring : null;
  return { status: r.status, text, body: parsed, fault };
}
