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

# eventstore_embed_migrations(<variable> <namespace>): the plugin's migrations/NNNN_name.sql files
# (in the calling directory), embedded into a generated source (cmake/EmbedMigrations.cmake) whose
# path is set in <variable>, for the plugin's static library. The source defines
# <namespace>::embedded_migrations() of the plugin's migrations.hpp.
function(eventstore_embed_migrations variable namespace)
  set(migrations_dir ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
  file(GLOB migration_files CONFIGURE_DEPENDS ${migrations_dir}/*.sql)
  set(embedded ${CMAKE_CURRENT_BINARY_DIR}/embedded_migrations.cpp)
  add_custom_command(
    OUTPUT ${embedded}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${embedded} -DMIGRATIONS_DIR=${migrations_dir}
            -DNAMESPACE=${namespace} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${migration_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    COMMENT "Embedding the migrations of ${namespace}"
    VERBATIM)
  set(${variable} ${embedded} PARENT_SCOPE)
endfunction()
