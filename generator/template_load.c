/* template_load.c - tpl_set from the embedded templates or a directory. */
#include "template_load.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embedded_templates.h"
#include "text_buf.h"

#define TMPL_SUFFIX ".tmpl"
#define TMPL_SUFFIX_LEN 5

typedef struct strvec {
    char **items;
    size_t n, cap;
} strvec;

static void strvec_push(strvec *v, char *s)
{
    v->items = grow_array(v->items, &v->cap, v->n + 1, sizeof *v->items);
    v->items[v->n++] = s;
}

void tpl_files_free(char **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

bool tpl_set_load_embedded(tpl_set *s, diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < embedded_template_count; i++) {
        const embedded_template *e = &embedded_templates[i];
        if (!tpl_set_add(s, e->name, e->file, e->text, e->len, d))
            ok = false;
    }
    return ok && tpl_set_check(s, d);
}

static bool is_template_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > TMPL_SUFFIX_LEN &&
           strcmp(name + n - TMPL_SUFFIX_LEN, TMPL_SUFFIX) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole file into a malloc'd buffer; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    text_buf text = {0};
    char block[8192];
    for (size_t k; (k = fread(block, 1, sizeof block, f)) > 0;)
        text_add(&text, block, k);
    bool bad = ferror(f) != 0;
    int err = errno;
    fclose(f);
    if (bad) {
        text_free(&text);
        errno = err ? err : EIO;
        return NULL;
    }
    return text_take(&text, len);
}

bool tpl_set_load_dir(tpl_set *s, const char *dir, char ***files_read,
                      size_t *n_files_read, diag *d)
{
    const src_mark nowhere = {0, 0};
    strvec read = {0};
    if (files_read)
        *files_read = NULL;
    if (n_files_read)
        *n_files_read = 0;

    DIR *dp = opendir(dir);
    if (!dp) {
        diag_error(d, dir, nowhere, "cannot open template directory: %s", strerror(errno));
        return false;
    }
    strvec names = {0};
    struct dirent *ent;
    errno = 0;
    while ((ent = readdir(dp)) != NULL) {
        if (is_template_name(ent->d_name))
            strvec_push(&names, xstrdup(ent->d_name));
        errno = 0;
    }
    bool ok = true;
    if (errno) {
        diag_error(d, dir, nowhere, "cannot read template directory: %s", strerror(errno));
        ok = false;
    }
    closedir(dp);
    if (ok && names.n == 0) {
        diag_error(d, dir, nowhere, "no templates (*" TMPL_SUFFIX " files) in this directory");
        ok = false;
    }
    if (names.n > 1)
        qsort(names.items, names.n, sizeof *names.items, cmp_str);

    size_t dlen = strlen(dir);
    bool slash = dlen > 0 && dir[dlen - 1] == '/';
    for (size_t i = 0; i < names.n; i++) {
        size_t nlen = strlen(names.items[i]);
        text_buf joined = {0};
        text_add(&joined, dir, dlen);
        if (!slash)
            text_char(&joined, '/');
        text_str(&joined, names.items[i]);
        char *path = text_take(&joined, NULL);

        struct stat st;
        if (stat(path, &st) != 0) {
            diag_error(d, path, nowhere, "cannot read template: %s", strerror(errno));
            ok = false;
            free(path);
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            diag_error(d, path, nowhere, "not a regular file");
            ok = false;
            free(path);
            continue;
        }
        size_t len = 0;
        char *text = read_file(path, &len);
        if (!text) {
            diag_error(d, path, nowhere, "cannot read template: %s", strerror(errno));
            ok = false;
            free(path);
            continue;
        }
        names.items[i][nlen - TMPL_SUFFIX_LEN] = '\0';
        if (!tpl_set_add(s, names.items[i], path, text, len, d))
            ok = false;
        free(text);
        strvec_push(&read, path);
    }
    tpl_files_free(names.items, names.n);
    if (files_read) {
        *files_read = read.items;
        if (n_files_read)
            *n_files_read = read.n;
    } else {
        tpl_files_free(read.items, read.n);
    }
    return ok && tpl_set_check(s, d);
}
