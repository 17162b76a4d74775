# eventstore_read_changelog(FILE VERSION RPM_OUT): checks that the newest entry of the Debian
# changelog FILE is VERSION (the project version and the package release, e.g. 0.1.0-1), and
# writes the same entries to RPM_OUT in the form of an RPM spec's %changelog. The Debian file is
# the one source of both packages' change logs.
function(eventstore_read_changelog file version rpm_out)
  file(STRINGS "${file}" lines)
  set(rpm "")
  set(first_version "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[a-z0-9.+-]+ \\(([^)]+)\\) ")
      set(entry_version "${CMAKE_MATCH_1}")
      set(items "")
      if(first_version STREQUAL "")
        set(first_version "${entry_version}")
      endif()
    elseif(line MATCHES "^  \\* (.*)$")
      string(APPEND items "- ${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^    (.*)$")
      string(APPEND items "  ${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^ -- (.+)  ([A-Z][a-z][a-z]), ([0-9]+) ([A-Z][a-z][a-z]) ([0-9]+) ")
      # " -- Name <mail>  Thu, 26 Nov 2026 20:00:00 +0000" -> "* Thu Nov 26 2026 Name <mail> - V"
      string(APPEND rpm "* ${CMAKE_MATCH_2} ${CMAKE_MATCH_4} ${CMAKE_MATCH_3} ${CMAKE_MATCH_5} "
                        "${CMAKE_MATCH_1} - ${entry_version}\n${items}\n")
    endif()
  endforeach()
  if(NOT first_version STREQUAL version)
    message(FATAL_ERROR "${file}: the newest entry is ${first_version}, but the packages are "
      "${version}; add an entry for ${version} at the top (dch -v ${version}, or by hand)")
  endif()
  file(WRITE "${rpm_out}" "${rpm}")
endfunction()
