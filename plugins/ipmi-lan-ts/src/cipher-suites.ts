/** RMCP+ algorithm numbers (IPMI v2.0 tables 13-17..13-19) and the cipher suites built from them (table 22-20). */

export const AuthAlg = { NONE: 0, HMAC_SHA1: 1, HMAC_MD5: 2, HMAC_SHA256: 3 } as const;
export const IntegAlg = { NONE: 0, HMAC_SHA1_96: 1, HMAC_MD5_128: 2, MD5_128: 3, HMAC_SHA256_128: 4 } as const;
export const ConfAlg = { NONE: 0, AES_CBC_128: 1 } as const;

export interface CipherSuite {
  id: number;
  auth: number;
  integrity: number;
  confidentiality: number;
}

/** The suites this client implements. 3 and 17 are the ones BMCs ship with; 17 is preferred. */
export const CIPHER_SUITES: Readonly<Record<number, CipherSuite>> = {
  1: { id: 1, auth: AuthAlg.HMAC_SHA1, integrity: IntegAlg.NONE, confidentiality: ConfAlg.NONE },
  2: { id: 2, auth: AuthAlg.HMAC_SHA1, integrity: IntegAlg.HMAC_SHA1_96, confidentiality: ConfAlg.NONE },
  3: { id: 3, auth: AuthAlg.HMAC_SHA1, integrity: IntegAlg.HMAC_SHA1_96, confidentiality: ConfAlg.AES_CBC_128 },
  15: { id: 15, auth: AuthAlg.HMAC_SHA256, integrity: IntegAlg.NONE, confidentiality: ConfAlg.NONE },
  16: { id: 16, auth: AuthAlg.HMAC_SHA256, integrity: IntegAlg.HMAC_SHA256_128, confidentiality: ConfAlg.NONE },
  17: { id: 17, auth: AuthAlg.HMAC_SHA256, integrity: IntegAlg.HMAC_SHA256_128, confidentiality: ConfAlg.AES_CBC_128 },
};

/** Order tried when the caller leaves the suite to negotiation. */
export const DEFAULT_SUITE_PREFERENCE: readonly number[] = [17, 3];

export function suiteFor(auth: number, integrity: number, confidentiality: number): CipherSuite | undefined {
  return Object.values(CIPHER_SUITES).find(
    (s) => s.auth === auth && s.integrity === integrity && s.confidentiality === confidentiality,
  );
}

/** Parse the record list returned by Get Channel Cipher Suites (C0h standard records) into suite ids. */
export function parseCipherSuiteRecords(records: Buffer): number[] {
  const ids: number[] = [];
  let i = 0;
  while (i < records.length) {
    const tag = records[i];
    if (tag === 0xc0) {
      ids.push(records[i + 1]);
      i += 2;
    } else if (tag === 0xc1) {
      ids.push(records[i + 1]);
      i += 5; // OEM: id + 3-byte IANA
    } else {
      i += 1; // algorithm bytes follow the record start
    }
  }
  return ids.filter((x) => x !== undefined);
}
