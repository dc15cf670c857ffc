#include "sources/api/api_facts.hpp"
