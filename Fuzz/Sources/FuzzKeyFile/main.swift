import FuzzSupport

Fuzzer.run(KeyFileHarness.run)
