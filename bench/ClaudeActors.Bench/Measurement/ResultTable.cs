using System.Text;

namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// A Markdown table with padded columns, readable in a terminal and pasteable into a README. The first column is
/// left-aligned, the others (figures) right-aligned.
/// </summary>
internal sealed class ResultTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row needs {headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Length).Prepend(header.Length).Prepend(3).Max()).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(Line(widths.Select((width, column) => column == 0 ? new string('-', width) : new string('-', width - 1) + ":").ToArray(), widths));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder("|");
        for (var column = 0; column < cells.Length; column++)
        {
            var cell = column == 0 ? cells[column].PadRight(widths[column]) : cells[column].PadLeft(widths[column]);
            line.Append(' ').Append(cell).Append(" |");
        }

        return line.ToString();
    }
}
