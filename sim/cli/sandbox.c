/*
** sandbox.c: see sandbox.h.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "sandbox.h"

/* ====================================================================
** Landlock: the file system and the network
** ==================================================================== */

/*
** The kernel's rule-set attribute as of Landlock ABI 6.  The C library's
** headers may be older than the kernel; the kernel takes a shorter
** struct from an older ABI, so the size passed says which fields count.
** The rights' values are the kernel's ABI and never change.
*/
struct ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;      /* ABI 4 */
  uint64_t scoped;                  /* ABI 6 */
};
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define NET_BIND_TCP (1ULL << 0)
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

#define FS_WRITE_RIGHTS                                                                    \
  (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                         \
   LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
   LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
   LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)

/* what the work directory allows: plain files and directories, nothing
   else (a rule may only grant rights the rule set handles; reading is
   not handled, so it stays allowed everywhere) */
#define WORKDIR_RIGHTS                                                                     \
  (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                         \
   LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG)

static int landlock(const char *workdir, char *note, size_t notelen) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) {
    snprintf(note, notelen, "this kernel has no Landlock (%s): file writes outside --out are "
                            "refused by the Lua sandbox and seccomp only", strerror(errno));
    return 1;
  }
  struct ruleset_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.handled_access_fs = FS_WRITE_RIGHTS | LANDLOCK_ACCESS_FS_EXECUTE;
  uint64_t workdir_rights = WORKDIR_RIGHTS;
  size_t attr_size = offsetof(struct ruleset_attr, handled_access_net);
  if (abi >= 2) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) {
    attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
    workdir_rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
  }
  if (abi >= 4) {                           /* no TCP at all */
    attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
    attr_size = offsetof(struct ruleset_attr, scoped);
  }
  if (abi >= 5) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  if (abi >= 6) {                           /* no signals or abstract sockets outside */
    attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
    attr_size = sizeof attr;
  }
  int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
  if (rs < 0) {
    snprintf(note, notelen, "Landlock refused the rules: %s", strerror(errno));
    return -1;
  }
  struct landlock_path_beneath_attr beneath = {.allowed_access = workdir_rights, .parent_fd = -1};
  int rc = 0;
  if (workdir)                              /* none (run --help): nothing is writable */
    beneath.parent_fd = open(workdir, O_PATH | O_CLOEXEC | O_DIRECTORY);
  if ((workdir && beneath.parent_fd < 0) ||
      (workdir && syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) != 0) ||
      syscall(SYS_landlock_restrict_self, rs, 0) != 0) {
    snprintf(note, notelen, "Landlock: cannot confine to %s: %s", workdir ? workdir : "nothing",
             strerror(errno));
    rc = -1;
  }
  if (beneath.parent_fd >= 0) close(beneath.parent_fd);
  close(rs);
  return rc;
}

/* ====================================================================
** seccomp: the system calls
** ==================================================================== */

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef SANDBOX_ARCH

#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
                 BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))

static int seccomp(char *note, size_t notelen) {
  uint32_t self = (uint32_t)getpid();
  struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),       /* the x32 ABI */
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    DENY(__NR_fork), DENY(__NR_vfork),
#endif
    DENY(__NR_execve), DENY(__NR_execveat), DENY(__NR_clone), DENY(__NR_ptrace),
    DENY(__NR_socket), DENY(__NR_socketpair), DENY(__NR_connect), DENY(__NR_bind),
    DENY(__NR_listen), DENY(__NR_process_vm_readv), DENY(__NR_process_vm_writev),
    DENY(__NR_mount), DENY(__NR_umount2), DENY(__NR_pivot_root), DENY(__NR_chroot),
    DENY(__NR_unshare), DENY(__NR_setns), DENY(__NR_bpf), DENY(__NR_perf_event_open),
    DENY(__NR_userfaultfd), DENY(__NR_keyctl), DENY(__NR_add_key), DENY(__NR_request_key),
    DENY(__NR_init_module), DENY(__NR_finit_module), DENY(__NR_delete_module),
    DENY(__NR_kexec_load), DENY(__NR_personality), DENY(__NR_io_uring_setup),
    DENY(__NR_tkill), DENY(__NR_pidfd_open), DENY(__NR_pidfd_send_signal),
    /* clone3: "not implemented", so that a C library falls back to clone, denied above */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    /* kill(pid, sig) and tgkill(tgid, tid, sig): this process only */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kill, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {(unsigned short)(sizeof filter / sizeof filter[0]), filter};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    snprintf(note, notelen, "seccomp: %s", strerror(errno));
    return -1;
  }
  return 0;
}

#else
static int seccomp(char *note, size_t notelen) {
  snprintf(note, notelen, "seccomp filters are written for x86-64 and AArch64 only");
  return 1;
}
#endif

/* ====================================================================
** All of it
** ==================================================================== */

int ms_sandbox_enter(const char *workdir, char *note, size_t notelen) {
  note[0] = '\0';
  struct rlimit no_core = {0, 0}, fsize = {MS_SANDBOX_FILE_LIMIT, MS_SANDBOX_FILE_LIMIT};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(SIGXFSZ, SIG_IGN);                 /* a too-large file: EFBIG, not death */
  if (setrlimit(RLIMIT_FSIZE, &fsize) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    snprintf(note, notelen, "cannot drop privileges: %s", strerror(errno));
    return -1;
  }
  int ll = landlock(workdir, note, notelen);
  if (ll < 0) return -1;
  char sc_note[256] = "";
  int sc = seccomp(sc_note, sizeof sc_note);
  if (sc < 0) {
    snprintf(note, notelen, "%s", sc_note);
    return -1;
  }
  if (sc > 0 && note[0] == '\0') snprintf(note, notelen, "%s", sc_note);
  return ll > 0 || sc > 0 ? 1 : 0;
}
