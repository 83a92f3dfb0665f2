#pragma once
// Internal: consistency of a Trial's array lengths, checked before writing and after reading.
#include <string>

#include "forceplate/data/trial.hpp"

namespace fp::data {

// Empty if consistent; otherwise one sentence naming the first inconsistent field.
std::string trial_inconsistency(const Trial& trial);

}  // namespace fp::data
