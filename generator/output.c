/* output.c - output sets written all or nothing, write-if-changed, and
 * depfiles (the guarantees, and what is left of a window: output.h). */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"
#include "text_buf.h"

static const src_mark no_mark = {0, 0};

/* dir + "/" + name, without doubling a trailing slash. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    text_buf path = {0};
    text_str(&path, dir);
    if (!n || dir[n - 1] != '/')
        text_char(&path, '/');
    text_str(&path, name);
    return text_take(&path, NULL);
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

/* MARK: directories */

/* Directories made for an output set, removed again if the set fails. */
typedef struct dir_list {
    char **paths;          /* in the order made, parents first */
    size_t count, cap;
} dir_list;

static void dir_list_add(dir_list *l, const char *path)
{
    l->paths = grow_array(l->paths, &l->cap, l->count + 1, sizeof *l->paths);
    l->paths[l->count++] = xstrdup(path);
}

/* Removes the directories made (children first); they are empty again once
 * the temporary files in them are gone. */
static void dir_list_remove_all(const dir_list *l)
{
    for (size_t i = l->count; i > 0; i--)
        rmdir(l->paths[i - 1]);
}

static void dir_list_free(dir_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
}

/* mkdir -p; fine when it exists already. Records in made (may be NULL) each
 * directory it creates. */
static bool make_dirs(const char *dir, dir_list *made, diag *d)
{
    char *p = xstrdup(dir);
    bool ok = true;
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) == 0) {
            if (made)
                dir_list_add(made, p);
        } else if (errno != EEXIST) {
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

/* MARK: temporary files and signals */

/* What the signal handler removes: the temporary files of the set being
 * written that exist on disk, paths[0..count), and then the directories
 * made for the set. The array has room for every file of the set before
 * the first one is created, so the handler never sees it move; entries are
 * added and the count cleared with the signals held. The directories are
 * all made before the handler is installed. */
typedef struct temp_registry {
    const char **paths;
    volatile sig_atomic_t count;
    const dir_list *made;          /* may be NULL */
} temp_registry;

/* Removes the registered temporary files, then the directories made (they
 * are empty again); async-signal-safe (unlink, rmdir). */
static void remove_registered(temp_registry *reg)
{
    for (sig_atomic_t i = 0; i < reg->count; i++)
        unlink(reg->paths[i]);
    reg->count = 0;
    if (reg->made)
        for (size_t i = reg->made->count; i > 0; i--)
            rmdir(reg->made->paths[i - 1]);
}

/* The one piece of global mutable state, because a signal handler can
 * reach nothing else: the registry of the output set being written, or
 * NULL. Set and cleared only with the cleanup signals held. */
static temp_registry *volatile registry_for_signals;

/* A cleanup signal: removes the temporary files and the directories made
 * for the set (nothing else is touched), then ends the process with the
 * signal's default action (for SIGQUIT, a core dump where enabled). The
 * signal is held while the handler runs, so raise makes it pending and it
 * is delivered, fatally, on return. */
static void remove_temps_and_reraise(int sig)
{
    temp_registry *reg = registry_for_signals;
    if (reg)
        remove_registered(reg);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The signals that end a process by default and that a user or the system
 * sends to stop a run: ^C, kill, a closed terminal (or ssh session), ^\. */
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define CLEANUP_SIGNAL_COUNT (sizeof cleanup_signals / sizeof cleanup_signals[0])

static void hold_signals(sigset_t *previous)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &set, previous);
}

static void release_signals(const sigset_t *previous)
{
    sigprocmask(SIG_SETMASK, previous, NULL);
}

/* The handlers replaced for the duration of one output set. */
typedef struct signal_guard {
    struct sigaction previous[CLEANUP_SIGNAL_COUNT];
    bool installed[CLEANUP_SIGNAL_COUNT];
} signal_guard;

/* Installs the handler for each signal whose action is the default (an
 * ignored signal stays ignored: the user asked for that, with nohup say),
 * and publishes reg to it. Signals are held by the caller. */
static void guard_signals(signal_guard *g, temp_registry *reg)
{
    registry_for_signals = reg;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = remove_temps_and_reraise;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
        sigaddset(&action.sa_mask, cleanup_signals[i]);   /* no handler runs inside another */
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++) {
        g->installed[i] = false;
        if (sigaction(cleanup_signals[i], NULL, &g->previous[i]) != 0 ||
            (g->previous[i].sa_flags & SA_SIGINFO) || g->previous[i].sa_handler != SIG_DFL)
            continue;
        g->installed[i] = sigaction(cleanup_signals[i], &action, NULL) == 0;
    }
}

/* Puts back what guard_signals replaced. Signals are held by the caller;
 * one that arrived meanwhile is delivered, with the action put back, when
 * the caller releases them. */
static void unguard_signals(const signal_guard *g)
{
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
        if (g->installed[i])
            sigaction(cleanup_signals[i], &g->previous[i], NULL);
    registry_for_signals = NULL;
}


/* MARK: writing */

/* One file of an output set. */
typedef struct set_file {
    const char *target;    /* the path it replaces */
    const char *data;
    size_t len;
    char *temp;            /* its temporary copy, once named */
} set_file;

/* The permissions a new file gets from open(2): 0666 less the umask. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* "DIR/.NAME.tmp.XXXXXX" for "DIR/NAME": next to its target, so the rename
 * stays within one file system and is atomic. */
static char *temp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t dlen = (size_t)(base - target);
    char *tmp = xmalloc(dlen + 1 + strlen(base) + sizeof ".tmp.XXXXXX");
    memcpy(tmp, target, dlen);
    sprintf(tmp + dlen, ".%s.tmp.XXXXXX", base);
    return tmp;
}

/* Writes f's temporary copy in full, with the target's permissions (or a
 * new file's). The signals are held from its creation until it is
 * registered, so the handler knows every temporary file that exists. */
static bool write_temp(set_file *f, temp_registry *reg, diag *d)
{
    f->temp = temp_template(f->target);
    sigset_t previous;
    hold_signals(&previous);
    int fd = mkstemp(f->temp);
    int err = errno;
    if (fd >= 0)
        reg->paths[reg->count++] = f->temp;
    release_signals(&previous);
    if (fd < 0) {
        diag_error(d, f->target, no_mark, "cannot create a temporary file: %s", strerror(err));
        return false;
    }
    const char *what = NULL;
    struct stat st;
    mode_t mode = stat(f->target, &st) == 0 ? (st.st_mode & 07777) : new_file_mode();
    if (fchmod(fd, mode) != 0) {
        what = "cannot set permissions on";
        err = errno;
    }
    for (size_t off = 0; !what && off < f->len;) {
        ssize_t w = write(fd, f->data + off, f->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            what = "cannot write";
            err = w < 0 ? errno : EIO;
            break;
        }
        off += (size_t)w;
    }
    /* close reports what a delayed write could not do (NFS, quotas). */
    if (close(fd) != 0 && !what) {
        what = "cannot write";
        err = errno;
    }
    if (what) {
        diag_error(d, f->target, no_mark, "%s file: %s", what, strerror(err));
        return false;
    }
    return true;
}

/* Renames every temporary copy over its target, with the signals held so
 * the renames are not cut short. A failed rename stops there; the
 * remaining temporary files are removed, and the directories made for the
 * set that hold no renamed file (all of them, when the first rename
 * failed: then nothing at all was changed). */
static bool rename_all(set_file *files, size_t count, temp_registry *reg, diag *d)
{
    bool ok = true;
    size_t renamed = 0;
    for (; renamed < count; renamed++)
        if (rename(files[renamed].temp, files[renamed].target) != 0) {
            int err = errno;
            if (renamed == 0)
                diag_error(d, files[renamed].target, no_mark,
                           "cannot replace file: %s; no file was changed", strerror(err));
            else
                diag_error(d, files[renamed].target, no_mark,
                           "cannot replace file: %s; %zu of the %zu changed files were "
                           "replaced before it", strerror(err), renamed, count);
            ok = false;
            break;
        }
    for (size_t i = renamed; i < count; i++)
        unlink(files[i].temp);
    reg->count = 0;
    if (!ok && reg->made)
        dir_list_remove_all(reg->made);   /* rmdir leaves one a renamed file is in */
    return ok;
}

/* Writes a set of changed files (step 1, then step 2: see output.h). On
 * failure or a signal before the renames, removes the temporary files and
 * the directories in made (may be NULL). */
static bool write_set(set_file *files, size_t count, const dir_list *made,
                      output_observer *observer, void *ctx, diag *d)
{
    const char **paths = xmalloc(count * sizeof *paths);
    temp_registry reg = {paths, 0, made};
    signal_guard guard;
    sigset_t previous;
    hold_signals(&previous);
    guard_signals(&guard, &reg);
    release_signals(&previous);

    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        ok = write_temp(&files[i], &reg, d);
        if (ok && observer)
            observer(files[i].target, ctx);
    }

    /* Renaming, or cleaning up after a failure, is not interrupted. */
    hold_signals(&previous);
    if (ok)
        ok = rename_all(files, count, &reg, d);
    else
        remove_registered(&reg);
    unguard_signals(&guard);
    release_signals(&previous);   /* a signal held meanwhile acts now */

    for (size_t i = 0; i < count; i++)
        free(files[i].temp);
    free(paths);
    return ok;
}

/* Whether a file can be renamed over path: not over a directory, which is
 * found here, before anything is written, rather than in step 2. */
static bool replaceable(const char *path, diag *d)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return true;
    diag_error(d, path, no_mark, "cannot replace a directory with a file");
    return false;
}

bool output_write_file(const char *path, const char *data, size_t len, bool *changed,
                       diag *d)
{
    if (changed)
        *changed = false;
    if (compare_file(path, data, len) == SAME)
        return true;
    if (!replaceable(path, d))
        return false;
    set_file f = {path, data, len, NULL};
    if (!write_set(&f, 1, NULL, NULL, NULL, d))
        return false;
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
    return output_write_observed(out, dir, NULL, NULL, d);
}

bool output_write_observed(const gen_output *out, const char *dir, output_observer *observer,
                           void *ctx, diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < out->count; i++)
        if (!safe_name(out->files[i].name)) {
            diag_error(d, dir, no_mark, "refusing to write '%s' outside the output directory",
                       out->files[i].name);
            ok = false;
        }
    if (!ok)
        return false;
    dir_list made = {0};
    set_file *changed = xmalloc(out->count * sizeof *changed);
    char **paths = xmalloc(out->count * sizeof *paths);
    size_t nchanged = 0;
    ok = make_dirs(dir, &made, d);
    for (size_t i = 0; i < out->count; i++) {
        const gen_file *f = &out->files[i];
        paths[i] = join(dir, f->name);
        const char *slash = strrchr(f->name, '/');
        if (ok && slash) { /* a file in a subdirectory */
            char *sub = join(dir, f->name);
            sub[strlen(sub) - strlen(slash)] = '\0';
            ok = make_dirs(sub, &made, d);
            free(sub);
        }
        if (!ok || compare_file(paths[i], f->data, f->len) == SAME)
            continue;
        ok = replaceable(paths[i], d);
        changed[nchanged++] = (set_file){paths[i], f->data, f->len, NULL};
    }
    if (ok && nchanged > 0)
        ok = write_set(changed, nchanged, &made, observer, ctx, d);
    else if (!ok)
        dir_list_remove_all(&made);
    for (size_t i = 0; i < out->count; i++)
        free(paths[i]);
    free(paths);
    free(changed);
    dir_list_free(&made);
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

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Whether the regular file at path holds marker (NULL: any regular file). */
static bool file_holds(const char *path, const char *marker)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    if (!marker)
        return true;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    text_buf text = {0};
    char block[64 * 1024];
    for (;;) {
        ssize_t got = read(fd, block, sizeof block);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        text_add(&text, block, (size_t)got);
    }
    close(fd);
    bool holds = strstr(text_content(&text), marker) != NULL;
    text_free(&text);
    return holds;
}

size_t output_check_unlisted(const gen_output *out, const char *dir, const char *suffix,
                             const char *marker, FILE *report)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;   /* no directory: output_check reports each file missing */
    const char **listed = xmalloc(out->count * sizeof *listed);
    for (size_t i = 0; i < out->count; i++)
        listed[i] = out->files[i].name;
    if (out->count)
        qsort(listed, out->count, sizeof *listed, cmp_name);
    char **unlisted = NULL;
    size_t count = 0, cap = 0, suffix_len = strlen(suffix);
    for (struct dirent *de = readdir(dp); de; de = readdir(dp)) {
        const char *name = de->d_name;
        size_t n = strlen(name);
        if (name[0] == '.' || n <= suffix_len || strcmp(name + n - suffix_len, suffix) != 0 ||
            bsearch(&name, listed, out->count, sizeof *listed, cmp_name))
            continue;
        char *path = join(dir, name);
        if (file_holds(path, marker)) {
            unlisted = grow_array(unlisted, &cap, count + 1, sizeof *unlisted);
            unlisted[count++] = path;
        } else {
            free(path);
        }
    }
    closedir(dp);
    if (count)   /* readdir's order is the file system's: a sorted report reads the same */
        qsort(unlisted, count, sizeof *unlisted, cmp_name);
    for (size_t i = 0; i < count; i++) {
        fprintf(report, "%s: not written any more (left from an earlier run; remove it)\n",
                unlisted[i]);
        free(unlisted[i]);
    }
    free(unlisted);
    free(listed);
    return count;
}

/* MARK: depfile */

/* A file name as make reads it in a rule. */
static void add_make_name(text_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '#' || *s == '\\')
            text_char(b, '\\');
        if (*s == '$')
            text_char(b, '$');
        text_char(b, *s);
    }
}

/* Whether the depfile names out->deps[i]: neither the catalog, named
 * first, nor a repeat of an earlier input (first: names_first_index). */
static bool dep_is_named(const gen_output *out, const size_t *first, size_t i,
                         const char *catalog_path)
{
    return first[i] == i && strcmp(out->deps[i], catalog_path) != 0;
}

bool output_write_depfile(const gen_output *out, const char *dir, const char *catalog_path,
                          const char *depfile, diag *d)
{
    text_buf b = {0};
    for (size_t i = 0; i < out->count; i++) {
        char *path = join(dir, out->files[i].name);
        if (i)
            TEXT_LIT(&b, " \\\n ");
        add_make_name(&b, path);
        free(path);
    }
    if (out->count == 0)
        add_make_name(&b, dir);
    TEXT_LIT(&b, ":");
    /* The catalog first, then the other inputs, each once. */
    TEXT_LIT(&b, " \\\n ");
    add_make_name(&b, catalog_path);
    /* Sorted, not compared pairwise: a template directory may hold many. */
    size_t *first = names_first_index((const char *const *)out->deps, out->dep_count);
    for (size_t i = 0; i < out->dep_count; i++) {
        if (!dep_is_named(out, first, i, catalog_path))
            continue;
        TEXT_LIT(&b, " \\\n ");
        add_make_name(&b, out->deps[i]);
    }
    TEXT_LIT(&b, "\n");
    for (size_t i = 0; i < out->dep_count; i++) {
        if (!dep_is_named(out, first, i, catalog_path))
            continue;
        TEXT_LIT(&b, "\n");
        add_make_name(&b, out->deps[i]);
        TEXT_LIT(&b, ":\n");
    }
    free(first);

    bool ok = true;
    const char *slash = strrchr(depfile, '/');
    if (slash && slash != depfile) {
        char *parent = xstrndup(depfile, (size_t)(slash - depfile));
        ok = make_dirs(parent, NULL, d);
        free(parent);
    }
    if (ok)
        ok = output_write_file(depfile, text_content(&b), b.len, NULL, d);
    text_free(&b);
    return ok;
}
