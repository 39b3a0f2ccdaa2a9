# Writes a C++ source holding the text of each *.EXT file in DIR, as the function
# NAMESPACE::FUNCTION() returning (file stem, text) pairs (cmake -P script).
set(body "#include <utility>\n#include <vector>\nnamespace ${NAMESPACE} {\n")
string(APPEND body "const std::vector<std::pair<const char*, const char*>>& ${FUNCTION}() {\n")
string(APPEND body "    static const std::vector<std::pair<const char*, const char*>> texts = {\n")
file(GLOB FILES ${DIR}/*.${EXT})
list(SORT FILES)
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} text)
  string(APPEND body "        {\"${name}\", R\"estate_text(${text})estate_text\"},\n")
endforeach()
string(APPEND body "    };\n    return texts;\n}\n}\n")
file(WRITE ${OUT} "${body}")
