// Links libestate from outside its build: reads a register made by the estate program
// and prints what a planner's own tool would want from it.
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/model/property.hpp"
#include "estate/version.hpp"

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer REGISTER\n";
        return 2;
    }
    auto reg = estate::db::Register::open(argv[1], true);
    std::cout << "libestate " << estate::version() << "\n";
    std::cout << "uses " << estate::model::uses().entries.size() << "\n";
    auto info = estate::db::register_info(reg);
    std::cout << "properties " << info.properties << " owners " << info.owners << "\n";
    return 0;
}
