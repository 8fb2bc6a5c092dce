/* feedback_form.c */
#include "feedback_form.h"
typedef int feedback_form_placeholder;
