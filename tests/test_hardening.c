/* test_hardening.c — the server binary ($VSPC_BINARY) carries the hardening
 * the top-level meson.build asks for, read from its own ELF64 headers (no
 * readelf needed):
 *
 *   - PIE: type ET_DYN with a program interpreter (a shared library is
 *     ET_DYN too, but has no PT_INTERP);
 *   - full RELRO: a PT_GNU_RELRO segment and, in the dynamic section,
 *     DT_FLAGS with DF_BIND_NOW or DT_FLAGS_1 with DF_1_NOW (without
 *     immediate binding the GOT stays writable);
 *   - NX stack: a PT_GNU_STACK segment without PF_X;
 *   - stack protector: __stack_chk_fail among the dynamic symbols
 *     (-fstack-protector-strong is on in every build type);
 *   - fortify: at least one glibc __*_chk function among them, only when
 *     meson passed -DVSPC_HARDENED=1 (_FORTIFY_SOURCE needs the optimiser,
 *     so the -O0 sanitizer build has none; the case is skipped there).
 *
 * Every offset read from the file is bounds-checked: a truncated or foreign
 * file fails the test, it never reads past the buffer.
 */
#include <check.h>
#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The whole binary, read once in main() before the tests fork. */
static unsigned char *image;
static size_t image_len;

/* ----------------------------------------------------------- helpers */

/* True if [off, off + len) lies inside the image. */
static bool in_image(uint64_t off, uint64_t len)
{
    return off <= image_len && len <= image_len - off;
}

static const Elf64_Ehdr *header(void)
{
    ck_assert_msg(image_len >= sizeof(Elf64_Ehdr), "binary shorter than an ELF header");
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
    ck_assert_msg(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0, "not an ELF file");
    ck_assert_msg(eh->e_ident[EI_CLASS] == ELFCLASS64, "not ELF64");
    return eh;
}

/* The i-th program header. */
static const Elf64_Phdr *phdr(size_t i)
{
    const Elf64_Ehdr *eh = header();
    ck_assert_uint_eq(eh->e_phentsize, sizeof(Elf64_Phdr));
    uint64_t off = eh->e_phoff + (uint64_t)i * sizeof(Elf64_Phdr);
    ck_assert_msg(in_image(off, sizeof(Elf64_Phdr)), "program header %zu out of file", i);
    return (const Elf64_Phdr *)(image + off);
}

/* The first program header of this type, or NULL. */
static const Elf64_Phdr *segment(uint32_t type)
{
    for (size_t i = 0; i < header()->e_phnum; i++)
        if (phdr(i)->p_type == type)
            return phdr(i);
    return NULL;
}

/* The value of the first dynamic entry with this tag; false if none. */
static bool dynamic_value(int64_t tag, uint64_t *value)
{
    const Elf64_Phdr *dyn = segment(PT_DYNAMIC);
    ck_assert_msg(dyn != NULL, "no PT_DYNAMIC segment (a static binary?)");
    ck_assert_msg(in_image(dyn->p_offset, dyn->p_filesz), "PT_DYNAMIC out of file");
    const Elf64_Dyn *d = (const Elf64_Dyn *)(image + dyn->p_offset);
    for (size_t i = 0; i < dyn->p_filesz / sizeof *d && d[i].d_tag != DT_NULL; i++)
        if (d[i].d_tag == tag) {
            *value = d[i].d_un.d_val;
            return true;
        }
    return false;
}

/* The i-th section header. */
static const Elf64_Shdr *shdr(size_t i)
{
    const Elf64_Ehdr *eh = header();
    ck_assert_uint_eq(eh->e_shentsize, sizeof(Elf64_Shdr));
    uint64_t off = eh->e_shoff + (uint64_t)i * sizeof(Elf64_Shdr);
    ck_assert_msg(in_image(off, sizeof(Elf64_Shdr)), "section header %zu out of file", i);
    return (const Elf64_Shdr *)(image + off);
}

/* Calls match(name) on every named dynamic symbol until it returns true;
 * returns whether one did. */
static bool any_dynamic_symbol(bool (*match)(const char *name))
{
    for (size_t i = 0; i < header()->e_shnum; i++) {
        const Elf64_Shdr *sh = shdr(i);
        if (sh->sh_type != SHT_DYNSYM)
            continue;
        ck_assert_msg(in_image(sh->sh_offset, sh->sh_size), ".dynsym out of file");
        ck_assert_uint_lt(sh->sh_link, header()->e_shnum);
        const Elf64_Shdr *strtab = shdr(sh->sh_link);
        ck_assert_msg(in_image(strtab->sh_offset, strtab->sh_size), ".dynstr out of file");
        const char *names = (const char *)image + strtab->sh_offset;
        const Elf64_Sym *sym = (const Elf64_Sym *)(image + sh->sh_offset);
        for (size_t k = 0; k < sh->sh_size / sizeof *sym; k++) {
            uint32_t at = sym[k].st_name;
            /* the name must end inside the table */
            if (at == 0 || at >= strtab->sh_size ||
                !memchr(names + at, '\0', strtab->sh_size - at))
                continue;
            if (match(names + at))
                return true;
        }
    }
    return false;
}

static bool is_stack_chk_fail(const char *name)
{
    return strcmp(name, "__stack_chk_fail") == 0;
}

/* glibc's fortified variants: __memcpy_chk, __snprintf_chk, ... (not
 * __stack_chk_fail, which is the stack protector's). */
static bool is_fortified(const char *name)
{
    size_t n = strlen(name);
    return n > 6 && strncmp(name, "__", 2) == 0 && strcmp(name + n - 4, "_chk") == 0 &&
           !is_stack_chk_fail(name);
}

/* ------------------------------------------------------------- tests */

START_TEST(test_pie)
{
    ck_assert_msg(header()->e_type == ET_DYN, "e_type %u, not ET_DYN: not position-independent",
                  (unsigned)header()->e_type);
    ck_assert_msg(segment(PT_INTERP) != NULL, "ET_DYN without PT_INTERP: a library, not PIE");
}
END_TEST

START_TEST(test_full_relro)
{
    ck_assert_msg(segment(PT_GNU_RELRO) != NULL, "no PT_GNU_RELRO segment");
    uint64_t flags = 0, flags_1 = 0;
    bool now = (dynamic_value(DT_FLAGS, &flags) && (flags & DF_BIND_NOW)) ||
               (dynamic_value(DT_FLAGS_1, &flags_1) && (flags_1 & DF_1_NOW));
    ck_assert_msg(now, "neither DF_BIND_NOW nor DF_1_NOW: partial RELRO only");
}
END_TEST

START_TEST(test_nx_stack)
{
    const Elf64_Phdr *stack = segment(PT_GNU_STACK);
    ck_assert_msg(stack != NULL, "no PT_GNU_STACK segment: the stack defaults to executable");
    ck_assert_msg(!(stack->p_flags & PF_X), "PT_GNU_STACK is executable");
}
END_TEST

START_TEST(test_stack_protector)
{
    ck_assert_msg(any_dynamic_symbol(is_stack_chk_fail), "no __stack_chk_fail: no stack protector");
}
END_TEST

START_TEST(test_fortified)
{
    ck_assert_msg(any_dynamic_symbol(is_fortified), "no __*_chk function: not fortified");
}
END_TEST

/* ------------------------------------------------------------- main */

static bool read_image(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 20;
    image = malloc(cap);
    size_t n;
    while (image && (n = fread(image + image_len, 1, cap - image_len, f)) > 0) {
        image_len += n;
        if (image_len == cap) {
            unsigned char *grown = realloc(image, cap *= 2);
            if (!grown) {
                free(image);
                image = NULL;
                break;
            }
            image = grown;
        }
    }
    bool ok = image && !ferror(f);
    fclose(f);
    return ok;
}

int main(void)
{
    const char *binary = getenv("VSPC_BINARY");
    if (!binary)
        binary = "build/vspc-emulator";
    if (!read_image(binary)) {
        fprintf(stderr, "test_hardening: cannot read %s\n", binary);
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("hardening");
    TCase *tc = tcase_create("elf");
    tcase_add_test(tc, test_pie);
    tcase_add_test(tc, test_full_relro);
    tcase_add_test(tc, test_nx_stack);
    tcase_add_test(tc, test_stack_protector);
#if defined(VSPC_HARDENED) && VSPC_HARDENED
    tcase_add_test(tc, test_fortified);
#else
    (void)test_fortified;
    fprintf(stderr, "test_hardening: built without optimisation, fortify check skipped\n");
#endif
    suite_add_tcase(s, tc);
    int status = test_run_suite(s, CK_FORK);
    free(image);
    return status;
}
