/** "no-rescue": rescue mode is not supported. */
import { type InterfaceFactory, REQUIRED_METHODS, type RescueInterface } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'rescue'> = () => unsupported<RescueInterface>('rescue', REQUIRED_METHODS.rescue);
export default factory;
