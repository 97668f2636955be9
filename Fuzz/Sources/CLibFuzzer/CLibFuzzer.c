// The declaration is the whole module: libFuzzer itself is linked by `-sanitize=fuzzer`.
#include "CLibFuzzer.h"
