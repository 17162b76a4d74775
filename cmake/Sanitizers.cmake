# Sanitizer and fuzzing builds. Each needs a build dir of its own (scripts/sanitize.sh,
# scripts/fuzz.sh configure them); the default build sets neither option.
#
# EVENTSTORE_SANITIZE: the sanitizers every target of the tree is compiled and linked with, as
# -fsanitize takes them: "address,undefined" or "thread" (they cannot be combined). Any
# undefined behaviour aborts, so a test that meets one fails.
# EVENTSTORE_FUZZ: adds libFuzzer's coverage instrumentation and builds the fuzz targets of
# tests/fuzz as libFuzzer programs. Needs clang (Debian's clang and libclang-rt-14-dev).
set(EVENTSTORE_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | thread")
option(EVENTSTORE_FUZZ "Build tests/fuzz as libFuzzer programs (clang only)" OFF)

if(EVENTSTORE_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "EVENTSTORE_FUZZ needs clang: configure with CC=clang CXX=clang++ (scripts/fuzz.sh does)")
endif()

if(EVENTSTORE_SANITIZE)
  add_compile_options(-fsanitize=${EVENTSTORE_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${EVENTSTORE_SANITIZE})
  # clang links its sanitizer runtime into executables only, which would leave a plugin's
  # __asan/__ubsan symbols undefined (plugins link with --no-undefined). The shared runtime
  # serves the program and the plugins it loads alike.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND EVENTSTORE_SANITIZE MATCHES "address")
    add_link_options(-shared-libasan)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-runtime-dir
                    OUTPUT_VARIABLE clang_runtime_dir OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND CMAKE_BUILD_RPATH ${clang_runtime_dir})
  endif()
endif()

if(EVENTSTORE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
