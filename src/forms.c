/* forms.c - helpers shared by the desk's forms (placeholder). */
#include "forms.h"
