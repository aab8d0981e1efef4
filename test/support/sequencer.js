// Jest's default order, except that files named *.disruptive.test.ts run last: they stop a lab DC
// (and restore it), which every other test of the shared lab must not see. The e2e layer runs one
// file at a time, so "last" also means "alone".
const Sequencer = require("@jest/test-sequencer").default;

class DisruptiveLast extends Sequencer {
    sort(tests) {
        const sorted = super.sort(tests);
        const disruptive = (t) => /\.disruptive\.test\.ts$/.test(t.path);
        return [...sorted.filter((t) => !disruptive(t)), ...sorted.filter(disruptive)];
    }
}

module.exports = DisruptiveLast;
