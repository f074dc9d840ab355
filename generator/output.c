/* output.c - atomic, write-if-changed file output and depfiles. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const src_mark no_mark = {0, 0};

static char *xstrdup_cat(const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = malloc(la + ls + lb + 1);
    if (!s) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    memcpy(s, a, la);
    memcpy(s + la, sep, ls);
    memcpy(s + la + ls, b, lb + 1);
    return s;
}

/* dir + "/" + name, without doubling a trailing slash. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return xstrdup_cat(dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

/* MARK: comparing */

typedef enum same_state { SAME, DIFFERENT, MISSING } same_state;

static same_state compare_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT ? MISSING : DIFFERENT;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) {
        close(fd);
        return DIFFERENT;
    }
    char buf[64 * 1024];
    size_t off = 0;
    same_state r = SAME;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            r = DIFFERENT;
            break;
        }
        if (got == 0) {
            if (off != len)
                r = DIFFERENT;
            break;
        }
        if ((size_t)got > len - off || memcmp(buf, data + off, (size_t)got) != 0) {
            r = DIFFERENT;
            break;
        }
        off += (size_t)got;
    }
    close(fd);
    return r;
}

/* MARK: writing */

/* mkdir -p; fine when it exists already. */
static bool make_dirs(const char *dir, diag *d)
{
    char *p = xstrdup_cat(dir, "", "");
    bool ok = true;
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            diag_error(d, p, no_mark, "cannot create directory: %s", strerror(errno));
            ok = false;
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (ok && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        diag_error(d, dir, no_mark, "not a directory");
        ok = false;
    }
    free(p);
    return ok;
}

/* The permissions a new file gets from open(2): 0666 less the umask. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

bool output_write_file(const char *path, const char *data, size_t len, bool *changed,
                       diag *d)
{
    if (changed)
        *changed = false;
    if (compare_file(path, data, len) == SAME)
        return true;

    /* The temporary file sits next to the target so rename is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *tmp = malloc(dlen + strlen(slash ? slash + 1 : path) + sizeof ".tmp.XXXXXX" + 1);
    if (!tmp) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    memcpy(tmp, path, dlen);
    sprintf(tmp + dlen, ".%s.tmp.XXXXXX", slash ? slash + 1 : path);

    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_error(d, path, no_mark, "cannot create a temporary file: %s", strerror(errno));
        free(tmp);
        return false;
    }
    const char *what = NULL;
    int err = 0;
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : new_file_mode();
    if (fchmod(fd, mode) != 0) {
        what = "cannot set permissions on";
        err = errno;
    }
    for (size_t off = 0; !what && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            what = "cannot write";
            err = w < 0 ? errno : EIO;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 && !what) {
        what = "cannot write";
        err = errno;
    }
    if (!what && rename(tmp, path) != 0) {
        what = "cannot replace";
        err = errno;
    }
    if (what) {
        unlink(tmp);
        diag_error(d, path, no_mark, "%s file: %s", what, strerror(err));
        free(tmp);
        return false;
    }
    free(tmp);
    if (changed)
        *changed = true;
    return true;
}

/* A generated name must stay inside the output directory. */
static bool safe_name(const char *name)
{
    if (!*name || name[0] == '/')
        return false;
    for (const char *s = name; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/')
            s++;
    }
    return name[strlen(name) - 1] != '/';
}

bool output_write(const gen_output *out, const char *dir, diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < out->count; i++)
        if (!safe_name(out->files[i].name)) {
            diag_error(d, dir, no_mark, "refusing to write '%s' outside the output directory",
                       out->files[i].name);
            ok = false;
        }
    if (!ok || !make_dirs(dir, d))
        return false;
    for (size_t i = 0; i < out->count; i++) {
        const gen_file *f = &out->files[i];
        char *path = join(dir, f->name);
        const char *slash = strrchr(f->name, '/');
        if (slash) { /* a file in a subdirectory */
            char *sub = join(dir, f->name);
            sub[strlen(sub) - strlen(slash)] = '\0';
            if (!make_dirs(sub, d))
                ok = false;
            free(sub);
        }
        if (ok && !output_write_file(path, f->data, f->len, NULL, d))
            ok = false;
        free(path);
    }
    return ok;
}

size_t output_check(const gen_output *out, const char *dir, FILE *report)
{
    size_t stale = 0;
    for (size_t i = 0; i < out->count; i++) {
        const gen_file *f = &out->files[i];
        char *path = join(dir, f->name);
        same_state s = compare_file(path, f->data, f->len);
        if (s != SAME) {
            fprintf(report, "%s: %s\n", path, s == MISSING ? "missing" : "out of date");
            stale++;
        }
        free(path);
    }
    return stale;
}

/* MARK: depfile */

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* A file name as make reads it in a rule. */
static void buf_make_name(buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '#' || *s == '\\')
            buf_add(b, "\\", 1);
        if (*s == '$')
            buf_add(b, "$", 1);
        buf_add(b, s, 1);
    }
}

/* deps[i] is neither the catalog nor a repeat of an earlier input. */
static bool dep_is_new(const gen_output *out, size_t i, const char *catalog_path)
{
    if (strcmp(out->deps[i], catalog_path) == 0)
        return false;
    for (size_t j = 0; j < i; j++)
        if (strcmp(out->deps[i], out->deps[j]) == 0)
            return false;
    return true;
}

bool output_write_depfile(const gen_output *out, const char *dir, const char *catalog_path,
                          const char *depfile, diag *d)
{
    buf b = {0};
    for (size_t i = 0; i < out->count; i++) {
        char *path = join(dir, out->files[i].name);
        if (i)
            buf_str(&b, " \\\n ");
        buf_make_name(&b, path);
        free(path);
    }
    if (out->count == 0)
        buf_make_name(&b, dir);
    buf_str(&b, ":");
    /* The catalog first, then the other inputs, each once. */
    buf_str(&b, " \\\n ");
    buf_make_name(&b, catalog_path);
    for (size_t i = 0; i < out->dep_count; i++) {
        if (!dep_is_new(out, i, catalog_path))
            continue;
        buf_str(&b, " \\\n ");
        buf_make_name(&b, out->deps[i]);
    }
    buf_str(&b, "\n");
    for (size_t i = 0; i < out->dep_count; i++) {
        if (!dep_is_new(out, i, catalog_path))
            continue;
        buf_str(&b, "\n");
        buf_make_name(&b, out->deps[i]);
        buf_str(&b, ":\n");
    }

    bool ok = true;
    const char *slash = strrchr(depfile, '/');
    if (slash && slash != depfile) {
        char *parent = xstrdup_cat(depfile, "", "");
        parent[slash - depfile] = '\0';
        ok = make_dirs(parent, d);
        free(parent);
    }
    if (ok)
        ok = output_write_file(depfile, b.data, b.len, NULL, d);
    free(b.data);
    return ok;
}
