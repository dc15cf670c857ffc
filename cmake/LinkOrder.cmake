# AIRGUARD_LINK_ORDER (the release preset): lay out the functions a scan runs next to each other.
# A file-backed page fault maps a 64 KiB block of the executable; with the functions a scan of the
# examples executes spread over the 5 MB of code, a scan faulted in about 60 blocks, with them
# together about 30. GNU ld cannot order functions; LLVM's lld can (--symbol-ordering-file), so
# the option needs ld.lld (Debian package lld) and each function in its own section. The list,
# src/link-order.txt, is written by scripts/link-order; a name it no longer finds is skipped.
option(AIRGUARD_LINK_ORDER "Order the executable's functions by src/link-order.txt (needs ld.lld)" OFF)
set(AIRGUARD_LINK_ORDER_FILE ${CMAKE_SOURCE_DIR}/src/link-order.txt)
if(AIRGUARD_LINK_ORDER)
  find_program(AIRGUARD_LLD ld.lld)
  if(AIRGUARD_LLD)
    add_compile_options(-ffunction-sections)
  else()
    message(WARNING "ld.lld not found (Debian package lld): the executable keeps the default function layout")
  endif()
endif()

# Called for the airguard executable.
function(airguard_order_functions target)
  if(AIRGUARD_LINK_ORDER AND AIRGUARD_LLD AND EXISTS ${AIRGUARD_LINK_ORDER_FILE})
    target_link_options(${target} PRIVATE -fuse-ld=lld "LINKER:--symbol-ordering-file=${AIRGUARD_LINK_ORDER_FILE}"
                        "LINKER:--no-warn-symbol-ordering")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${AIRGUARD_LINK_ORDER_FILE})
  endif()
endfunction()
