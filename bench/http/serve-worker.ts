// The feed followers in their own process, as apps/ledger-worker runs them (for the separate-worker benchmark).
import '../../apps/ledger-worker/src/main';
