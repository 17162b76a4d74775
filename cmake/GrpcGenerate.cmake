# eventstore_grpc_library(TARGET ROOT dir PROTOS a.proto ... [IMPORTS dir ...] [LINK lib ...]):
# a static library of the C++ protobuf and gRPC code generated from .proto files named relative to
# ROOT. IMPORTS are further roots their imports resolve in, whose generated code comes from the
# LINK libraries.
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

function(eventstore_grpc_library target)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS;IMPORTS;LINK" ${ARGN})
  set(generated_dir ${CMAKE_CURRENT_BINARY_DIR}/generated-${target})
  file(MAKE_DIRECTORY ${generated_dir})
  set(import_args)
  foreach(dir ${ARG_IMPORTS})
    list(APPEND import_args --proto_path=${dir})
  endforeach()
  set(generated)
  foreach(rel ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${rel})
    set(outputs ${generated_dir}/${base}.pb.cc ${generated_dir}/${base}.pb.h
                ${generated_dir}/${base}.grpc.pb.cc ${generated_dir}/${base}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc
        --proto_path=${ARG_ROOT}
        ${import_args}
        --cpp_out=${generated_dir}
        --grpc_out=${generated_dir}
        --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}
        ${rel}
      DEPENDS ${ARG_ROOT}/${rel}
      WORKING_DIRECTORY ${ARG_ROOT}
      COMMENT "protoc ${rel}")
    list(APPEND generated ${outputs})
  endforeach()
  add_library(${target} STATIC ${generated})
  target_include_directories(${target} PUBLIC ${generated_dir})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf gRPC::grpc++ ${ARG_LINK})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -w)
endfunction()
