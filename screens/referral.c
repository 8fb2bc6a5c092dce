/* referral.c - the referral screen (placeholder). */
#include "desk_internal.h"
