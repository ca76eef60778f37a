namespace Brook.Cli;

/// <summary>
/// A plain table: columns separated by two spaces, header in capitals (bold on a colour terminal).
/// When the rows are wider than the terminal, the widest columns are cut (ending in "…") until they fit.
/// </summary>
public sealed class TextTable
{
    private const int Gap = 2;
    private const int MinimumColumn = 6;
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public int RowCount => _rows.Count;

    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row has {cells.Length} cells, the table {_headers.Length} columns", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void Write(CliContext context) => Write(context.Out, context.Terminal.Width, context.UseColor);

    public void Write(TextWriter writer, int width, bool bold)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int[] widths = new int[_headers.Length];
        for (int c = 0; c < widths.Length; c++)
        {
            widths[c] = _headers[c].Length;
            foreach (string[] row in _rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        Fit(widths, width);
        WriteRow(writer, _headers, widths, bold);
        foreach (string[] row in _rows)
        {
            WriteRow(writer, row, widths, bold: false);
        }
    }

    private static void Fit(int[] widths, int width)
    {
        int total = widths.Sum() + Gap * (widths.Length - 1);
        while (total > width)
        {
            int widest = 0;
            for (int c = 1; c < widths.Length; c++)
            {
                if (widths[c] > widths[widest])
                {
                    widest = c;
                }
            }
            if (widths[widest] <= MinimumColumn)
            {
                return; // nothing left to cut: let the terminal wrap
            }
            int cut = Math.Min(total - width, widths[widest] - MinimumColumn);
            widths[widest] -= cut;
            total -= cut;
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths, bool bold)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            string cell = cells[c].Length > widths[c] ? string.Concat(cells[c].AsSpan(0, widths[c] - 1), "…") : cells[c];
            bool last = c == cells.Length - 1;
            string padded = last ? cell : cell.PadRight(widths[c] + Gap);
            writer.Write(bold ? $"\u001b[1m{padded}\u001b[0m" : padded);
        }
        writer.WriteLine();
    }
}
