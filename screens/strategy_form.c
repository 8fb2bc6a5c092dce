/* strategy_form.c - placeholder */
#include "strategy_form.h"
typedef int strategy_form_unused;
