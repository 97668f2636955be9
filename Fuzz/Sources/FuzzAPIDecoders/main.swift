import FuzzSupport

Fuzzer.run(APIDecodersHarness.run)
