/* test_gen_text_buf.c - text_buf.c: the growable text every back end
 * builds its output in, and the array growth they share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text_buf.h"

static void test_empty(void **state)
{
    (void)state;
    text_buf t = {0};
    assert_string_equal(text_content(&t), "");
    text_truncate(&t, 0);   /* nothing to cut: no crash, still empty */
    size_t len = 99;
    char *s = text_take(&t, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    assert_null(t.data);
    text_free(&t);
}

static void test_appends(void **state)
{
    (void)state;
    text_buf t = {0};
    text_add(&t, "ab\0cd", 5);   /* bytes, NUL included */
    assert_int_equal(t.len, 5);
    assert_memory_equal(t.data, "ab\0cd", 6);
    text_truncate(&t, 0);
    text_str(&t, "x=");
    text_char(&t, '[');
    TEXT_LIT(&t, "lit");
    text_printf(&t, "%d:%s]", 42, "y");
    assert_string_equal(text_content(&t), "x=[lit42:y]");
    text_truncate(&t, 2);
    assert_string_equal(text_content(&t), "x=");
    text_truncate(&t, 10);   /* longer than the text: unchanged */
    assert_string_equal(text_content(&t), "x=");
    text_free(&t);
}

/* printf output shorter than the spare room, exactly as long, one byte
 * longer, and far longer than the buffer, each checked against snprintf. */
static void test_printf_sizes(void **state)
{
    (void)state;
    static char big[100000];
    memset(big, 'q', sizeof big - 1);
    for (size_t n = 0; n < 300; n++) {
        text_buf t = {0};
        text_str(&t, "head");   /* the spare room is well under 300 bytes */
        text_printf(&t, "%.*s|%zu", (int)n, big, n);
        char expect[1200];
        int k = snprintf(expect, sizeof expect, "head%.*s|%zu", (int)n, big, n);
        assert_true(k > 0 && (size_t)k < sizeof expect);
        assert_int_equal(t.len, (size_t)k);
        assert_string_equal(t.data, expect);
        text_free(&t);
    }
    text_buf t = {0};
    text_printf(&t, "%s", big);
    assert_int_equal(t.len, sizeof big - 1);
    assert_int_equal(t.data[t.len], '\0');
    text_free(&t);
}

/* Many small appends: capacity doubles, so the buffer moves a logarithmic
 * number of times. */
static void test_linear_growth(void **state)
{
    (void)state;
    text_buf t = {0};
    size_t moves = 0;
    const char *before = NULL;
    for (size_t i = 0; i < 1000000; i++) {
        text_char(&t, (char)('a' + i % 26));
        if (t.data != before)
            moves++;
        before = t.data;
    }
    assert_int_equal(t.len, 1000000);
    assert_true(moves < 64);
    assert_int_equal(t.data[999999], 'a' + 999999 % 26);
    text_free(&t);
}

static void test_pointer_token(void **state)
{
    (void)state;
    text_buf t = {0};
    text_pointer_token(&t, "a/b~c");
    text_pointer_token(&t, "");
    text_pointer_token(&t, "*");
    assert_string_equal(text_content(&t), "/a~1b~0c//*");
    text_free(&t);
}

static void test_grow_array(void **state)
{
    (void)state;
    int *items = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        items = grow_array(items, &cap, (size_t)i + 1, sizeof *items);
        assert_true(cap >= (size_t)i + 1);
        items[i] = i;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(items[i], i);
    size_t before = cap;
    items = grow_array(items, &cap, 10, sizeof *items);   /* room already: unchanged */
    assert_int_equal(cap, before);
    free(items);

    char *s = xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = xstrdup("");
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_printf_sizes),
        cmocka_unit_test(test_linear_growth),
        cmocka_unit_test(test_pointer_token),
        cmocka_unit_test(test_grow_array),
    };
    return cmocka_run_group_tests_name("text_buf", tests, NULL, NULL);
}
