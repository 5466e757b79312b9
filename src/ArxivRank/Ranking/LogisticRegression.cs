namespace ArxivRank.Ranking;

/// <summary>Rows of sparse feature vectors in compressed sparse row form.</summary>
/// <param name="RowStarts">Where each row begins in <paramref name="Columns"/>; one more entry than rows.</param>
/// <param name="Columns">The column of each stored value.</param>
/// <param name="Values">The stored values.</param>
/// <param name="ColumnCount">The number of columns.</param>
internal sealed record SparseRows(int[] RowStarts, int[] Columns, float[] Values, int ColumnCount)
{
    public int RowCount => RowStarts.Length - 1;
}

/// <summary>The result of <see cref="LogisticRegression.Fit"/>.</summary>
internal sealed record LogisticFit(double[] Weights, double Intercept, int Iterations, bool Converged, double Objective);

/// <summary>
/// L2-regularized, sample-weighted binary logistic regression fitted by full-batch L-BFGS. Deterministic: no randomness,
/// sums always in the same order, so the same data gives the same weights bit for bit.
/// </summary>
/// <remarks>
/// Minimizes <c>(Σᵢ ωᵢ·log(1 + exp(−yᵢ·(w·xᵢ + b))) + λ/2·‖w‖²) / Σᵢ ωᵢ</c> with <c>yᵢ ∈ {−1, +1}</c>; the intercept
/// <c>b</c> is not penalized.
/// </remarks>
internal static class LogisticRegression
{
    private const int Memory = 10;
    private const double GradientTolerance = 1e-6;
    private const double RelativeObjectiveTolerance = 1e-10;
    private const double ArmijoConstant = 1e-4;

    public static LogisticFit Fit(SparseRows rows, bool[] labels, double[] sampleWeights, double lambda, int maxIterations, CancellationToken cancellationToken)
    {
        int n = rows.ColumnCount + 1; // the last coordinate is the intercept
        double totalWeight = 0;
        foreach (double w in sampleWeights)
        {
            totalWeight += w;
        }

        var problem = new Problem(rows, labels, sampleWeights, lambda, totalWeight);
        var x = new double[n];
        var g = new double[n];
        double f = problem.Evaluate(x, g, new double[rows.RowCount]);

        var s = new double[Memory][];
        var y = new double[Memory][];
        var rho = new double[Memory];
        var alpha = new double[Memory];
        for (int m = 0; m < Memory; m++)
        {
            s[m] = new double[n];
            y[m] = new double[n];
        }

        int stored = 0, newest = -1;
        var d = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var margins = new double[rows.RowCount];
        int iteration = 0;
        bool converged = MaxAbs(g) < GradientTolerance;
        while (!converged && iteration < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;

            // Two-loop recursion: d = -H·g.
            Array.Copy(g, d, n);
            for (int k = 0; k < stored; k++)
            {
                int j = (newest - k + Memory) % Memory;
                alpha[j] = rho[j] * Dot(s[j], d);
                Axpy(-alpha[j], y[j], d);
            }

            if (stored > 0)
            {
                double gamma = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
                Scale(d, gamma);
            }
            else
            {
                Scale(d, 1 / Math.Max(Norm(g), 1e-12));
            }

            for (int k = stored - 1; k >= 0; k--)
            {
                int j = (newest - k + Memory) % Memory;
                double beta = rho[j] * Dot(y[j], d);
                Axpy(alpha[j] - beta, s[j], d);
            }

            Scale(d, -1);
            double slope = Dot(g, d);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): forget the curvature pairs and go down the gradient.
                stored = 0;
                Array.Copy(g, d, n);
                Scale(d, -1 / Math.Max(Norm(g), 1e-12));
                slope = Dot(g, d);
            }

            // Backtracking line search (Armijo).
            double step = 1, fNew;
            while (true)
            {
                for (int i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * d[i]);
                }

                fNew = problem.Evaluate(xNew, gNew, margins);
                if (fNew <= f + (ArmijoConstant * step * slope) || step < 1e-20)
                {
                    break;
                }

                step *= 0.5;
            }

            if (fNew > f)
            {
                converged = true; // no step improves the objective any more
                break;
            }

            newest = (newest + 1) % Memory;
            double sy = 0, yy = 0;
            for (int i = 0; i < n; i++)
            {
                s[newest][i] = xNew[i] - x[i];
                y[newest][i] = gNew[i] - g[i];
                sy += s[newest][i] * y[newest][i];
                yy += y[newest][i] * y[newest][i];
            }

            if (sy > 1e-12 * yy && sy > 0)
            {
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, Memory);
            }
            else
            {
                // Skip a pair that would break positive definiteness; its slot held the oldest pair, now lost.
                newest = (newest - 1 + Memory) % Memory;
                if (stored == Memory)
                {
                    stored--;
                }
            }

            double previous = f;
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            converged = MaxAbs(g) < GradientTolerance || (previous - f) <= RelativeObjectiveTolerance * Math.Max(1, Math.Abs(f));
        }

        return new LogisticFit(x[..^1], x[^1], iteration, converged, f);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double[] x, double a)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

    private static double MaxAbs(double[] x)
    {
        double max = 0;
        foreach (double v in x)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>log(1 + eᶻ) without overflow.</summary>
    internal static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    /// <summary>1 / (1 + e⁻ᶻ) without overflow.</summary>
    internal static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1 + e);
    }

    private sealed class Problem(SparseRows rows, bool[] labels, double[] sampleWeights, double lambda, double totalWeight)
    {
        /// <summary>Computes the objective at <paramref name="x"/> and writes its gradient into <paramref name="gradient"/>.</summary>
        public double Evaluate(double[] x, double[] gradient, double[] dLossDz)
        {
            int columns = rows.ColumnCount;
            double bias = x[columns];
            double loss = 0;
            int[] starts = rows.RowStarts;
            int[] cols = rows.Columns;
            float[] values = rows.Values;
            for (int r = 0; r < rows.RowCount; r++)
            {
                double omega = sampleWeights[r];
                if (omega == 0)
                {
                    dLossDz[r] = 0;
                    continue;
                }

                double z = bias;
                for (int k = starts[r]; k < starts[r + 1]; k++)
                {
                    z += x[cols[k]] * values[k];
                }

                if (labels[r])
                {
                    loss += omega * Softplus(-z);
                    dLossDz[r] = -omega * Sigmoid(-z);
                }
                else
                {
                    loss += omega * Softplus(z);
                    dLossDz[r] = omega * Sigmoid(z);
                }
            }

            double penalty = 0;
            for (int j = 0; j < columns; j++)
            {
                penalty += x[j] * x[j];
                gradient[j] = lambda * x[j];
            }

            double dBias = 0;
            for (int r = 0; r < rows.RowCount; r++)
            {
                double dz = dLossDz[r];
                if (dz == 0)
                {
                    continue;
                }

                dBias += dz;
                for (int k = starts[r]; k < starts[r + 1]; k++)
                {
                    gradient[cols[k]] += dz * values[k];
                }
            }

            gradient[columns] = dBias;
            double scale = 1 / totalWeight;
            for (int j = 0; j <= columns; j++)
            {
                gradient[j] *= scale;
            }

            return (loss + (0.5 * lambda * penalty)) * scale;
        }
    }
}
