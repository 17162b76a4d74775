# How plugin code is compiled: the plugins of this tree, the static libraries they are made of and
# the test fixtures that stand in for plugins. eventstore_add_plugin (plugin-api/cmake) makes the
# module itself; these set the language and hide the symbols.

# eventstore_strict_c11(<target>): C as a plugin written outside this tree would be: C11 without
# extensions, -pedantic -Werror -Wall -Wextra, hidden symbols. The ABI's own checks
# (plugin-api/abi), the Kurrent plugin and the loader's fixture plugins.
function(eventstore_strict_c11 target)
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11
    C_STANDARD_REQUIRED ON
    C_EXTENSIONS OFF
    C_VISIBILITY_PRESET hidden)
  target_compile_options(${target} PRIVATE -pedantic -Werror -Wall -Wextra)
endfunction()

# eventstore_plugin_cxx17(<target>): C++17 without extensions, position-independent, hidden
# symbols (inline ones too): a C++ plugin, or a static library linked into plugins.
function(eventstore_plugin_cxx17 target)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
