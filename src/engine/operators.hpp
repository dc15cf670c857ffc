#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.hpp"
#include "engine/check_def.hpp"

namespace airguard {

// What an operator takes under its name in `fail_when:`.
enum class OperandKind { none_or_bool, scalar, list, number, conditions, condition, specifier };

struct OperatorContext;  // defined in evaluator.cpp

// One row of the operator registry. The table in operators.cpp is the single list of operators:
// the loader validates against it, the evaluator dispatches through it, and
// `airguard checks operators` prints it as documentation.
struct OperatorInfo {
  std::string_view name;
  OperandKind operand;
  std::string_view description;
  std::string_view example;
  // Leaf operators test one fact's value against the condition's operands.
  std::function<bool(const Fact& fact, const std::vector<std::string>& args)> test;
};

const std::vector<OperatorInfo>& operator_registry();
const OperatorInfo* find_operator(std::string_view name);

// Airflow-ish boolean reading shared by operators: true/false/1/0/t/f, plus yes/no/on/off for
// Helm and Python values; nullopt when the text is not a boolean.
std::optional<bool> lenient_boolean(std::string_view text);

}  // namespace airguard
