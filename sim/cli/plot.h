/*
** plot.h: the plot writer.  It knows data files and gnuplot, nothing of
** Lua or the simulator.
**
** For each plot it writes NAME.gp beside the data: a gnuplot script a
** person can read, edit and run again (gnuplot NAME.gp), drawing NAME.png
** (or .svg, .pdf).  Rendering runs gnuplot as a child process, without a
** shell, in the plot's directory.
**
** Kinds
**   lines    one line per (file, x column, y column)
**   points   the same, with markers: for values over a swept option
**   bars     grouped bars from a table: first column the categories,
**            then one column per group
**   stacked  the same table drawn as stacked bars (a breakdown)
**   heatmap  one cell per row of a file: x and y columns place it, the
**            z column colours it (arenas by pools, coloured by fullness)
*/
#ifndef MEMSIM_PLOT_H
#define MEMSIM_PLOT_H

#include <signal.h>
#include <stddef.h>

typedef struct ms_PlotLine {
  const char *file;        /* TSV with a header row, relative to the dir */
  const char *x, *y;       /* column names */
  const char *title;       /* legend entry */
} ms_PlotLine;

/* A phase of a run: sim:sample(label) at x (in the data's units). */
typedef struct ms_PlotMark {
  double x;
  const char *text;
} ms_PlotMark;

typedef struct ms_Plot {
  const char *name;        /* file stem */
  const char *kind;        /* lines, points, bars, stacked */
  const char *title, *xlabel, *ylabel;
  double xdiv, ydiv;       /* values are divided by these (units); 0 = 1 */
  int logx, logy;
  int rotate_xtics;        /* bars: slant the run names (many runs) */
  const ms_PlotLine *lines;
  size_t nlines;
  const char *table;       /* bars and stacked: the table file */
  const char *const *columns;   /* its value columns, in order */
  const char *const *column_titles; /* their legend entries (NULL: the column names) */
  size_t ncolumns;
  double ymin, ymax;       /* the y range, in the plot's units; 0 0: gnuplot's choice */
  const ms_PlotMark *marks;     /* phases: a dashed line and its name at x */
  size_t nmarks;
  const char *z;           /* heatmap: the colour column (lines[0] gives file, x, y) */
} ms_Plot;

/* Write DIR/NAME.gp drawing in FORMAT unless told otherwise (png, svg,
   pdf; "none" writes a png script). */
int ms_plot_write(const char *dir, const ms_Plot *p, const char *format, char *err, size_t errlen);

/*
** Run gnuplot on DIR/GPNAME, drawing NAME.png (or .svg, .pdf: FORMAT, or
** NULL for the script's own).  Returns 0 on success, 1 when gnuplot is not
** installed, -1 on failure; ERR says what happened.  gnuplot is killed
** (with its children) after SECONDS (0: no limit) or as soon as *STOP
** becomes nonzero.
*/
int ms_plot_render(const char *dir, const char *gpname, const char *format, double seconds,
                   volatile sig_atomic_t *stop, char *err, size_t errlen);

/* NAME is safe as a file name in a plot script: [A-Za-z0-9_-.=+,], not
   starting with '.', at most 200 bytes. */
int ms_plot_safe_name(const char *name);

/* Seconds gnuplot may take for one plot. */
#define MS_PLOT_SECONDS 60.0

/* The image file a .gp script in FORMAT produces, e.g. "live.png". */
void ms_plot_output_name(const char *name, const char *format, char *out, size_t n);

#endif
