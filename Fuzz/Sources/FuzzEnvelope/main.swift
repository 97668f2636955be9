import FuzzSupport

Fuzzer.run(EnvelopeHarness.run)
