import FuzzSupport

Fuzzer.run(NormalisersHarness.run)
