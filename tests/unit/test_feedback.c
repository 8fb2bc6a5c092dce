#include <criterion/criterion.h>
Test(feedback, placeholder) {}
