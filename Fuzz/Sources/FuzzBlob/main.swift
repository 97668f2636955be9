import FuzzSupport

Fuzzer.run(BlobHarness.run)
