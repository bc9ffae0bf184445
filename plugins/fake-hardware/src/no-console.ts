/** "no-console": no serial console. */
import { type ConsoleInterface, type InterfaceFactory, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'console'> = () => unsupported<ConsoleInterface>('console', REQUIRED_METHODS.console);
export default factory;
