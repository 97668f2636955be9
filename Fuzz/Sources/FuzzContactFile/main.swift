import FuzzSupport

Fuzzer.run(ContactFileHarness.run)
