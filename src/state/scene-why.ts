/**
 * The mathematics behind each scene, for its "Why?" panel: key equations (TeX, rendered
 * with KaTeX), 5–15 lines on what the plots show (inline TeX between $…$), and the papers
 * to read. Keyed by scene id (scenes.ts); docs/theory.md holds the same facts by section.
 */

export interface Paper {
  authors: string;
  /** The title, or (quoted: false) a description where only the arXiv id is certain. */
  title: string;
  quoted?: boolean;
  arxiv: string;
}

export interface SceneWhy {
  /** Display equations, TeX. */
  equations: string[];
  /** 5–15 short lines; `$…$` is inline TeX. */
  lines: string[];
  /** docs/theory.md sections, e.g. "§1, §4". */
  theory: string;
  /** What to read, last line of the panel. */
  papers: Paper[];
}

export const papers = {
  unnatural: {
    authors: 'Goodbrake et al. 2023',
    title: 'Unnatural Algorithms in Machine Learning',
    arxiv: '2312.04739',
  },
  allNgd: {
    authors: 'Shoji, Suzuki & Kozachkov 2024',
    title: 'Is All Learning (Natural) Gradient Descent?',
    arxiv: '2409.16422',
  },
  martens: {
    authors: 'Martens 2014',
    title: 'New insights and perspectives on the natural gradient method',
    arxiv: '1412.1193',
  },
  kfac: {
    authors: 'Martens & Grosse 2015',
    title: 'Optimizing Neural Networks with Kronecker-factored Approximate Curvature',
    arxiv: '1503.05671',
  },
  bias: {
    authors: '',
    title: 'the paper on the inductive biases of natural gradient descent',
    quoted: false,
    arxiv: '2111.11542',
  },
  deepMf: {
    authors: 'Arora, Cohen, Hu & Luo 2019',
    title: 'Implicit Regularization in Deep Matrix Factorization',
    arxiv: '1905.13655',
  },
  song: {
    authors: 'Song, Song & Ermon 2018',
    title: 'Accelerating Natural Gradient with Higher-Order Invariance',
    arxiv: '1803.01273',
  },
} satisfies Record<string, Paper>;

export const sceneWhy: Record<string, SceneWhy> = {
  'naturality-square': {
    theory: '§1, §4',
    equations: [
      '\\theta = f(\\varphi),\\qquad \\tilde\\theta_k = f(\\varphi_k),\\qquad D_K = \\max_{k\\le K} \\frac{\\lVert \\tilde\\theta_k - \\theta_k \\rVert}{\\max(1, \\lVert\\theta_0\\rVert)}',
      'g_\\varphi = J_f^{\\top} g_\\theta,\\qquad F_\\varphi = J_f^{\\top} F_\\theta J_f \\;\\Rightarrow\\; J_f F_\\varphi^{-1} g_\\varphi = F_\\theta^{-1} g_\\theta',
    ],
    lines: [
      'Both plots show the same optimizer run twice: once on $L(\\theta)$, once on $L(f(\\varphi))$ with $\\varphi = (\\mu, \\log\\sigma)$.',
      'The dashed path is the φ-run pushed forward to θ, $\\tilde\\theta_k = f(\\varphi_k)$; if the optimizer is natural it lies on the solid θ-run.',
      'The gradient is a covector: it picks up $J_f^{\\top}$, so a gradient step in φ is a different step in θ.',
      'The Fisher picks up $J_f$ on both sides, so the natural-gradient direction $F^{-1}g$ transforms like a vector: the same direction in both coordinates.',
      'A finite step $\\eta$ still bends differently through a nonlinear $f$: that leaves an $O(\\eta)$ defect over a fixed horizon.',
      'The defect table reports $D_K$, the largest gap along the run, relative to the start.',
    ],
    papers: [papers.unnatural, papers.martens],
  },
  'what-each-optimizer-forgives': {
    theory: '§3',
    equations: [
      '\\theta = A\\varphi,\\quad A = \\operatorname{diag}(10, 0.1):\\qquad \\Delta\\theta_{\\mathrm{GD}} = -\\eta\\, A A^{\\top} g_\\theta \\ne -\\eta\\, g_\\theta',
      '\\text{Adam: } \\Delta\\theta = -\\eta\\, |A|\\, \\frac{\\hat m}{\\sqrt{\\hat v}} \\ne -\\eta\\, \\frac{\\hat m}{\\sqrt{\\hat v}},\\qquad \\text{diag. Fisher: } F_\\varphi = A F_\\theta A',
    ],
    lines: [
      'A linear map has no step-size excuse: an update either transforms exactly or not at all.',
      'Gradient descent is natural only for orthogonal $A$; a diagonal scaling already changes its path.',
      'Adam normalises each coordinate, so it forgives signed permutations but not a rescaling by 10 and 0.1.',
      'The diagonal Fisher rescales with the coordinates, so it forgives every diagonal $A$; natural gradient forgives every invertible $A$.',
      'Read the defect table: the natural pairs sit at float32 round-off ($D_K \\lesssim 10^{-4}$), the others at order 1.',
      'The naturality table repeats this for rotations, shears and more.',
    ],
    papers: [papers.unnatural],
  },
  'order-of-naturality': {
    theory: '§4',
    equations: [
      "\\text{Euler: } \\varphi' = \\varphi - \\eta F(\\varphi)^{-1} g(\\varphi),\\qquad f(\\varphi') - \\theta' = O(\\eta^2)\\ \\text{per step} \\Rightarrow D = O(\\eta)",
      "\\text{midpoint: } \\varphi_{1/2} = \\varphi - \\tfrac{\\eta}{2} F^{-1} g\\,(\\varphi),\\quad \\varphi' = \\varphi - \\eta F(\\varphi_{1/2})^{-1} g(\\varphi_{1/2}) \\Rightarrow D = O(\\eta^2)",
    ],
    lines: [
      'The natural-gradient flow $\\dot\\theta = -F^{-1}g$ is natural for any smooth $f$; its discretization is not.',
      'An Euler step differs from the pushed-forward step by a term in the second derivative of $f$, of size $\\eta^2$.',
      'Over a fixed horizon $T = K\\eta$ those add up to $O(\\eta)$; the midpoint integrator cancels the first error term and leaves $O(\\eta^2)$.',
      'Gradient descent follows a different flow in each coordinate system, so its defect does not vanish as $\\eta \\to 0$.',
      'The sweep fixes $T$, halves $\\eta$ repeatedly and fits the slope of $\\log D$ against $\\log \\eta$: about 1, 2 and 0.',
      'The numbers in the caption are for one $\\eta$ only.',
    ],
    papers: [papers.song, papers.unnatural],
  },
  'newton-affine-only': {
    theory: '§2, §4',
    equations: ['H_\\varphi = J_f^{\\top} H_\\theta J_f + \\sum_i (g_\\theta)_i\\, \\nabla^2_\\varphi f_i'],
    lines: [
      'Newton divides the gradient by the Hessian; for an affine $f$ the Hessian transforms like the Fisher and Newton is natural.',
      'For the cubic map $\\theta = \\varphi + 0.3\\varphi^3$ the second derivative of $f$ is not zero, and the extra term changes the Newton flow itself.',
      'So Newton’s defect levels off at a nonzero value as $\\eta \\to 0$; it is not a discretization error.',
      'Natural gradient uses the Fisher, which has no such term: only the $O(\\eta)$ Euler defect remains.',
      'Switch the map to a linear one and Newton’s two runs coincide to round-off.',
    ],
    papers: [papers.martens, papers.unnatural],
  },
  'damping-vs-trust-region': {
    theory: '§3',
    equations: [
      '\\delta_{\\lambda} = -(F + \\lambda I)^{-1} g,\\qquad J_f^{\\top}(F_\\theta + \\lambda I) J_f \\ne F_\\varphi + \\lambda I',
      '\\min_\\delta\\; g^{\\top}\\delta\\quad \\text{s.t.}\\quad \\tfrac12\\, \\delta^{\\top} F \\delta \\le r',
    ],
    lines: [
      'Damping adds $\\lambda I$ to the Fisher to keep the solve stable where $F$ is nearly singular.',
      'But the identity is not a tensor: in other coordinates it is not $J_f^{\\top} I J_f$, so the damped step depends on the coordinates.',
      'The defect grows with $\\lambda$; with $\\lambda = 0$ the pair is natural again.',
      'A trust region limits the step in the Fisher’s own norm, $\\tfrac12\\delta^{\\top}F\\delta \\le r$, which is the same number in every coordinate system.',
      'So the trust-region run and its φ-twin coincide to float32 round-off.',
    ],
    papers: [papers.martens],
  },
  'every-rule-is-ngd': {
    theory: '§5',
    equations: [
      '\\Delta\\theta = -\\eta u,\\quad u^{\\top} g > 0:\\qquad u = M^{-1} g\\ \\text{for some SPD } M',
      '\\kappa^* = \\min_{M u = g} \\kappa(M) = \\frac{1 + \\sin\\psi}{1 - \\sin\\psi},\\qquad \\cos\\psi = \\frac{u^{\\top} g}{\\lVert u\\rVert\\,\\lVert g\\rVert}',
    ],
    lines: [
      'Any step that goes downhill is a natural-gradient step for some metric $M$.',
      '$\\kappa^*$ is the best conditioning such a metric can have: 1 means the step is along $-g$, large means a nearly sideways step.',
      'It is the Kantorovich bound $\\cos\\psi \\ge 2\\sqrt{\\kappa}/(1+\\kappa)$ solved for $\\kappa$.',
      'Gradient descent has $\\kappa^* = 1$. Momentum mostly follows $-g$ closely but, on this valley with $\\kappa = 100$, overshoots: some of its steps go uphill, where no metric exists (×).',
      'Adam’s coordinate-wise scaling turns its steps away from $-g$, so its $\\kappa^*$ is larger.',
      'The lab’s iterates are float32: a step is judged up to one ulp per coordinate, so round-off at a converged point is not called uphill.',
    ],
    papers: [papers.allNgd],
  },
  'inductive-bias-lost': {
    theory: '§6',
    equations: [
      'w = u \\odot u - v \\odot v,\\qquad \\dot u = -2\\,u \\odot \\nabla_w L,\\quad \\dot v = 2\\,v \\odot \\nabla_w L',
      '\\text{NGD: } \\dot w \\approx -F_w^{-1} \\nabla_w L\\quad \\text{(the same flow for every parameterization)}',
    ],
    lines: [
      'With 40 weights and 15 examples many $w$ fit the data; which one an optimizer finds is its inductive bias.',
      'In the $(u, v)$ parameterization gradient descent moves each weight at a speed proportional to its own size.',
      'From a small start the weights that matter grow and the others stay near zero: a sparse $w$, which generalizes.',
      'Natural gradient follows (approximately) the same flow in every parameterization, so it cannot use this one’s preference.',
      'It finds a dense $w$, like gradient descent on the plain linear model, and its test accuracy drops.',
      'The right-hand chart shows the sorted $|w|$; the left one the test error over training.',
    ],
    papers: [papers.bias],
  },
  'kfac-layer-rescaling': {
    theory: '§3',
    equations: [
      'F \\approx A \\otimes G,\\qquad A = \\mathbb{E}[\\bar a \\bar a^{\\top}],\\quad G = \\mathbb{E}[\\delta \\delta^{\\top}]',
      'W \\mapsto B W C,\\; b \\mapsto b C:\\qquad A \\mapsto C^{\\top} A\\, C,\\quad G \\mapsto B^{-1} G B^{-\\top}',
    ],
    lines: [
      'K-FAC replaces each layer’s block of the Fisher by a Kronecker product of two small matrices.',
      'Under a map that mixes each layer’s inputs and outputs, $W \\mapsto BWC$, the two factors transform like the Fisher would.',
      'So K-FAC’s step transforms as a vector under this layer-wise map and its two runs agree.',
      'Gradient descent’s step does not and its runs drift apart.',
      'Under a map mixing entries across layers K-FAC is not natural either.',
    ],
    papers: [papers.kfac, papers.martens],
  },
  'digits-kfac-adam': {
    theory: '§3',
    equations: [
      '\\theta_\\ell = \\bar B_\\ell\\, \\Phi_\\ell\\, C_\\ell \\quad\\Rightarrow\\quad A_\\phi = \\bar B^{\\top} A \\bar B,\\quad G_\\phi = C\\, G\\, C^{\\top}',
      '\\text{loss gap} = \\max_k \\bigl|L(\\theta_k) - L(f(\\phi_k))\\bigr|',
    ],
    lines: [
      'A 64-16-10 network classifies 8×8 handwritten digits (1,500 training images, 297 test images).',
      'The φ-run trains the same network with each layer written as $W = B\\Phi C$, $b = \\beta C$: a layer-wise change of coordinates.',
      'K-FAC’s two factors transform with such a map, so its step does too: both runs compute the same network at every step.',
      'Adam rescales each coordinate by its own gradient history, and a mixing map changes which coordinates those are: its runs learn different networks.',
      'Some pixels are blank in every training image and the ten logits can all shift by one constant: along those directions K-FAC’s factors are singular.',
      'There its pseudo-inverse step is not a tensor, so the parameters can part while every training prediction agrees; the caption compares the losses.',
      'A test digit may use a pixel no training digit used, so the two runs’ test accuracies can still differ slightly.',
      'The charts under the plots show test accuracy, a confusion matrix per run and the predictions on 16 test digits.',
    ],
    papers: [papers.kfac, papers.martens],
  },
  'how-much-fisher': {
    theory: '§9.1',
    equations: [
      '\\tilde F = \\mathrm{blockdiag}(F_1, \\dots, F_L),\\qquad F_l = \\tfrac1N \\textstyle\\sum_n J_{n,l}^{\\top} \\Lambda_n J_{n,l}',
      'A = \\mathrm{blockdiag}(A_1, \\dots, A_L):\\qquad \\mathrm{blockdiag}(A^{\\top} F A) = A^{\\top}\\, \\mathrm{blockdiag}(F)\\, A',
    ],
    lines: [
      'The block-diagonal Fisher keeps each layer’s block of the exact Fisher, weights and bias together, and drops the blocks between layers.',
      'A map that mixes coordinates only within a layer has a block-diagonal Jacobian $A$.',
      'For such an $A$ the blocks of $A^{\\top} F A$ are $A_l^{\\top} F_l A_l$: the kept part transforms as a tensor, so the step is natural.',
      'The diagonal Fisher keeps only the diagonal, and K-FAC a Kronecker product per layer: this map has neither structure, so their runs drift apart.',
      'The exact Fisher is natural for every linear map; the naturality table’s block column and the curves beside it show the rest.',
    ],
    papers: [papers.martens, papers.kfac],
  },
  'network-landscape': {
    theory: '§7',
    equations: [
      'L(\\theta_0 + a\\, d_1 + b\\, d_2),\\qquad d_1, d_2 = \\text{top right singular vectors of } [\\theta_k - \\theta_0]_{k}',
      '\\text{share in the plane} = \\frac{s_1^2 + s_2^2}{\\sum_i s_i^2}',
    ],
    lines: [
      'A network with 337 parameters has no 2-D landscape; the picture is a slice through the start $\\theta_0$.',
      'While the runs train the slice uses random filter-normalized directions; when they stop, the two main directions of all runs’ movement.',
      'Each point of a run is drawn at its projection onto that plane.',
      'The note under the plot says how much of the movement the plane holds, how far off the plane the paths go on average, and which runs it does not show.',
      'A run that moves little beside another can be too small to see at this scale, even if it lies in the plane.',
    ],
    papers: [papers.martens],
  },
  'low-rank-lost': {
    theory: '§6',
    equations: [
      'W = W_3 W_2 W_1,\\qquad L = \\tfrac12 \\sum_{(i,j)\\in\\Omega} (W_{ij} - T_{ij})^2',
      '\\text{GD: } \\dot\\sigma_r = -N\\,\\sigma_r^{2 - 2/N}\\, \\langle \\nabla_W L,\\, u_r v_r^{\\top} \\rangle \\quad (N = 3 \\text{ factors})',
      '\\text{NGD: } \\dot W \\approx -F_W^{-1} \\nabla_W L \\quad \\text{(the same flow for any factorization)}',
    ],
    lines: [
      'Only 40 of the 100 entries $\\Omega$ are seen, so many $W$ fit them; which one an optimizer finds is its inductive bias.',
      'Under gradient descent on the factors, each singular value $\\sigma_r$ of $W$ grows at a speed that rises with its own size.',
      'From a small start the largest one runs ahead and the rest stay small: $W$ ends near rank 1 and so fills in the unseen entries of the rank-1 target.',
      'That bias comes from the factorization, not from the loss: it is a property of the coordinates gradient descent steps in.',
      'Natural gradient follows (approximately) the same flow in every parameterization, so the factorization’s preference is gone.',
      'It fits the seen entries even better, but its $W$ keeps more singular values and its error on the unseen entries is large.',
      'Effective rank here is $(\\sum_r \\sigma_r)^2 / \\sum_r \\sigma_r^2$: 1 for rank 1, $r$ for $r$ equal singular values.',
      'Over seeds 0–4 gradient descent’s effective rank stayed below natural gradient’s in all 5; in 2 of them (seeds 1, 3) gradient descent kept more than one large singular value within 1,500 steps and no run filled in the unseen entries.',
      'The damping $\\lambda = 10^{-3}$ keeps natural gradient stable where the Fisher is nearly singular; from a start of std 0.01 the damped step is close to a gradient step and keeps its bias, so the scene starts at std 0.1.',
      'The charts show the error on the unseen entries over training and the singular values of $W$.',
    ],
    papers: [papers.deepMf, papers.bias],
  },
};
