/** "no-inspect": hardware inspection is not supported. */
import { type InspectInterface, type InterfaceFactory, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'inspect'> = () => unsupported<InspectInterface>('inspect', REQUIRED_METHODS.inspect);
export default factory;
