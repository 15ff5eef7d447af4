// The mini-program runtime's entry point, where the shell's launchApp() looks for it; the
// modules themselves are in runtime/.
export { openMiniApp, PAGE_STACK_MAX, SCENES } from './runtime/runtime.js';
