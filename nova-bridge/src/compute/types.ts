/** The compute side's records live in @anvil/sdk (shared with @anvil/db, which stores them). */
export type { Flavor, Image, Instance, InstanceFault, InstanceStatus, Keypair, Nic } from '@anvil/sdk';
