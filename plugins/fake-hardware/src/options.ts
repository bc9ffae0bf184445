/** The fake interfaces' settings, declared once (Ironic [fake] <kind>_delay); read by delay.ts. */
import { type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = ['power', 'boot', 'deploy', 'management', 'inspect'].map((kind) =>
  strOpt(`fake_${kind}_delay`, null, `seconds every fake ${kind} call takes: "2", or "1,5" for a random delay between the two`),
);
export default OPTIONS;
