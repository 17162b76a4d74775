# eventstore_add_plugin(<target> <source>...): builds an eventstored backend plugin, the way every
# plugin of this tree is built and the way the installed kit builds plugins out of tree:
# - a MODULE library named <target>.so (no "lib" prefix; set OUTPUT_NAME to choose the name),
# - linked to EventStore::plugin_api (the ABI header and the C++17 helpers),
# - hidden symbols and a version script that exports eventstore_plugin_entry alone,
# - no undefined symbols left for the host to provide.
# Each target is also listed in the global property EVENTSTORE_PLUGIN_TARGETS, so that a project
# can check all its plugins at once (this tree's tests/exports does).
#
# Whoever includes this file first sets EVENTSTORE_PLUGIN_VERSION_SCRIPT to the path of
# eventstore-plugin.map: plugin-api/CMakeLists.txt in the tree, EventStorePluginConfig.cmake in
# the installed kit.
if(NOT EVENTSTORE_PLUGIN_VERSION_SCRIPT)
  message(FATAL_ERROR "EVENTSTORE_PLUGIN_VERSION_SCRIPT must be set before including ${CMAKE_CURRENT_LIST_FILE}")
endif()
# A global property, so that calls from any directory see the same script.
set_property(GLOBAL PROPERTY EVENTSTORE_PLUGIN_VERSION_SCRIPT "${EVENTSTORE_PLUGIN_VERSION_SCRIPT}")

function(eventstore_add_plugin target)
  get_property(version_script GLOBAL PROPERTY EVENTSTORE_PLUGIN_VERSION_SCRIPT)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE EventStore::plugin_api)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${version_script}")
  target_link_options(${target} PRIVATE
    "-Wl,--version-script=${version_script}" "-Wl,--no-undefined")
  set_property(GLOBAL APPEND PROPERTY EVENTSTORE_PLUGIN_TARGETS ${target})
endfunction()
