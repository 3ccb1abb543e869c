// The debrief's concept cards: every concept is there, the rules pick the cards that
// explain a round's events, the stories carry that round's numbers, and no card copies a
// sentence from the course notes (the game must say things in its own words).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CARDS, CONCEPT_IDS, type ConceptId } from '../shared/lessons/cards.js';
import { fill, fillCard, int, percent, pickCards, roundFacts, type RoundEvent, type RoundRecord, type WindowPoint } from '../shared/lessons/pick.js';
import { roundEventsOf, roundRecordOf } from '../shared/lessons/record.js';
import { cardMoment } from '../shared/lessons/moments.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { applyCommand } from '../shared/sim/commands.js';
import { RoundHistory } from '../client/src/history.js';
import type { RoundView } from '../client/src/view.js';
import { runHeadless } from '../shared/round/headless.js';
import { runnableScenario, SCENARIOS } from '../shared/scenarios/index.js';
import { leaderFollowerAp, leaderFollowerCp, leaderlessOne, leaderlessQuorum } from '../shared/scenarios/common.js';
import type { ClusterSettings } from '../shared/scenarios/settings.js';

// ---------------------------------------------------------------------------------------
// Copying: fingerprints of the course notes, so the check runs where the notes are absent

/**
 * Fingerprints of every sentence over 30 characters in the course notes (length:hash of the
 * normalised sentence) and of every run of 7 words. Generated from
 * seed/distributed-systems-notes.md by the normalisation below; when the notes are on this
 * machine the test regenerates them and insists they still match.
 */
const SEED_SENTENCES = [
  '143:80bwdt 41:1bm4fcv 42:1iufrtl 53:txrham 40:d5k0bs 58:1lu1jub 53:1gmm61r 55:yxirrk 33:1mcnumd',
  '213:mvjcdf 54:1m9k414 78:7otedi 79:151rfg8 74:wzs67m 101:11mz3x7 102:bzksor 157:jv6qzg',
  '195:bjcrnw 96:6jcloq 96:17z7lv4 153:1igxu8l 61:1fykjj2 41:12swilp 103:15bave9 55:hrj8ya',
  '96:hwj5dt 81:gjugv5 84:1fptbh7 91:3xk65j 83:sccn1m 42:num0q6 80:13d46cv 102:15qssmf 94:m6axju',
  '111:1jr19k8 52:9jva9j 86:1ip1ajv 143:4mrmxr 75:exr8au 90:fhoc47 112:1unwra0 115:irxunp',
  '112:144xoab 56:1iot0uc 118:1qzkyi7 41:ozuz9k 152:1yx24fc 169:1h230w5 52:nn7dhl 164:odgaan',
  '171:wefyg3 102:18ba5bp 117:1jgeq6s 134:11m3oi3 197:1cim6q9 125:1xfk4ie 90:z6tthw 139:16shdo9',
  '114:1sqz1bc 68:fqag4j 112:1ep5wqz 112:1qp8jzl 100:15v4o1v 128:evx6ze 139:q3fpmp 106:vukrvf',
  '107:1x2u1cu 147:g8vh6i 115:1nm34xo 156:1b4lxe5 102:1wg7icf 151:1ocsxo7 116:ja2t2w 115:dejqu0',
  '91:q6emfk 121:1rbwotx 115:1wb0mde 98:1955g7w 129:16j8a6h 31:1k2xnjr 82:1eadq0f 62:1bea1jp',
  '39:gwj9pl 40:dzs1h1 36:44k87v 73:lqobjt 81:p88wu9 35:wpfsfm 51:18lvln 39:4cpqft 41:22851j',
  '66:10pkbe2 54:l6f2vp 33:1hbdh0m 85:pg935f 81:bgqcq0 49:1ma29og 76:1nmsun7 75:8pzuaj 51:15t740q',
  '44:13fahjo 94:omst87 65:z3fz4q 79:7c1dg0 75:1gwjkgv 71:1v9dw8t 59:8ocxlz 40:umks3g 80:7vljpw',
].join(' ');
const SEED_SHINGLES = [
  '101lj4y 101vl2h 102oao 1042464 107bfnh 107t5dv 10b8yhq 10c56sj 10en6fk 10exaat 10ht789 10j0w0y',
  '10lcsua 10ltwwo 10meygw 10nvwrr 10pdye8 10slumc 10tro0m 10ytvqn 10yzmr3 112x3jo 11388gv 117syyg',
  '118cz5m 11bcv8u 11c95ww 11gt3eq 11hxmm 11i32nh 11idtzd 11lbbjt 11lf4al 11lu1pm 11myhpj 11qkjdy',
  '11sgwcg 11sj6ou 11udcvz 11up7y6 11vroum 11vuxi8 11xu58u 121g6z 121mo0y 122eid6 122x116 123bwav',
  '1241uxz 1269px1 129f86j 12adtrd 12asamm 12bam2 12bna6w 12ezg9t 12fcatk 12g797p 12glc55 12gtnw4',
  '12hpna 12im8jb 12kv1wq 12lwwjg 12p8j4o 12q4emn 12qaabj 12qctze 12u8ijm 12up8sp 12w9787 12zrjbi',
  '130ww0b 132vw3g 134utus 1368zct 136k0tw 138a3tp 139vcl6 13aoj2p 13az4kd 13beytp 13etpc4 13ezbah',
  '13gcpcu 13hodj5 13hpeaa 13ie9l4 13iox38 13j9r2i 13m3nzg 13m8yn1 13mamu3 13pbhyj 13prndh 13sqkz0',
  '13u0rri 13uu0ez 13uv6kl 13vgsa1 13x4fvx 13xdvqr 13xnpyv 13yhjib 13zy3e2 141zaqh 142pwft 143507x',
  '148hzfx 148z70c 14a394m 14a8lun 14bclkc 14cpxj3 14e6e63 14k4eg9 14kmxdj 14kqs8r 14ln7h 14ln9ps',
  '14m35sf 14n8l2h 14nq97w 14oyrtw 14pjhez 14ye0uq 150w3qp 1516ctq 1519z99 1535ewv 153dgb6 153vp8x',
  '154jq96 154qwp2 155d771 15685e3 1577bhr 15ac0wu 15azr69 15dpa5e 15fw4f 15i6q1n 15jcpcn 15jzetn',
  '15kdmhi 15l482w 15noxnn 15oh489 15uggzg 15we5yp 15wr6qo 15xxeci 15zc6ry 160rxgv 1617dth 1623t1j',
  '162kyw8 1639itp 163bq3c 165givt 166eu61 16c9xx3 16cqfjk 16frxmv 16ghfp1 16j1cm5 16kehld 16m7xh9',
  '16mfcnl 16nfcza 16o8vzk 16otoqn 16qqbrn 16r8af2 16t6sfq 16uyfal 16v98xj 16vcni7 16vgkzm 16xq3hz',
  '16y0v79 16yebwe 1727nii 173icwt 173ko8h 174wf2e 175yjog 178h635 17b43q 17cjzye 17dh5e9 17dtvhy',
  '17dz7yk 17g8snf 17jch45 17jdfd3 17l0s46 17mwwwg 17otmdv 17qfyia 17rpodi 17vyh4z 17xmhf8 17yuptq',
  '1825d9a 1833dgv 183404q 183dho3 1858co3 188a8od 18aw3yv 18cj03v 18dbjoz 18gsd5j 18h8vio 18i5v24',
  '18indif 18jx75m 18koglo 18lmuwl 18m12kv 18mptw7 18n9h7k 18pywhb 18qkchy 18r77kd 18rhqae 18s4ftk',
  '18skhiw 18tu1qb 18urci5 18v2jc7 18v9zom 18vg9rh 18wp5bi 18xboqu 18y18h8 18y9rmb 18yf5cl 190gsqr',
  '191km0g 19402zl 194sfm4 1950ewn 197alu3 197yup 19a51wl 19a6qjf 19avn5i 19c9j62 19dp4iz 19eprru',
  '19fjsjw 19hc6v9 19izo0g 19jpaa7 19jpcxo 19k1ifk 19lidbd 19mvqm3 19n1ri8 19n69nq 19oj9ws 19q8f8p',
  '19tq8jg 19u2tkb 19umfz4 19x422w 19y4aju 1a0ul0j 1a1ajlt 1a2drlz 1a3hvqi 1a3ipfw 1a4sauz 1a5zqnt',
  '1a64dpk 1adpyc1 1aebn9n 1afjnfa 1agln4m 1ajbq1k 1anivf0 1ap75bp 1ar4v4z 1arvz8v 1as8d31 1atk8se',
  '1auhq7c 1avsjc1 1b0mz6z 1b0tjdt 1b1ecah 1b3ll10 1b3vci8 1b5jhvt 1b6wjt3 1b7mtzw 1b7prin 1b93pqz',
  '1b9e3q0 1baowu3 1bawvdi 1bbm3zp 1bc47df 1bfmkdk 1bgevmk 1bgz9jq 1bhfs16 1bkp5za 1br0vhf 1bsh6m',
  '1bsrveb 1bx6r83 1bz9g98 1c1txfm 1c3jzvz 1c4ss7p 1c5purn 1c665c8 1c7affr 1c8ngwk 1c8ph1d 1caop0m',
  '1cgraal 1chcfw7 1cii9a6 1cm2uwp 1cnhu5g 1cqc546 1criuh0 1crn8sz 1crrd2r 1csh0z 1cssjoh 1cvsi6',
  '1cyjz4r 1czjigb 1d1tbj6 1d3ho03 1d49aov 1d49gak 1d63q3d 1d79h1g 1d7vm0e 1d802rc 1d8zpu7 1dag7xm',
  '1db9te4 1ddtjbj 1dgffy8 1drpwex 1drqmth 1dvcbu4 1dwyk41 1dyosiy 1e3tm4f 1e937ba 1ebrhhv 1ebvmrv',
  '1ejer87 1ejiix 1ejjys9 1ekm9g4 1el3233 1emb71 1emx30r 1eqadnc 1ettqpy 1ev5q60 1evql09 1eyjq68',
  '1f1c8li 1f4f21x 1f5fkh5 1f75a95 1f789t2 1f9yy6s 1fcrqr9 1ff7gt6 1firipw 1fjr412 1fjyvwb 1fk0qyh',
  '1foqlwx 1fpcma5 1fq62n1 1fqfy65 1fs7oe5 1fsdj8g 1fvk87s 1fwljer 1fwthyv 1fx3wes 1fxvnoc 1g3zhgd',
  '1gbdqqq 1gdrd8k 1gdyb1l 1gifty8 1giu8lm 1gkwhjz 1gl1o08 1gl6urf 1gla1j 1gmxtav 1gn7yuq 1gnqy2i',
  '1go0m8v 1gof35t 1gzmjw7 1h2x7c7 1h3u3cj 1h4g3sm 1h4mwmr 1h58ay9 1h7wepl 1h81ihi 1h88680 1h8h4o2',
  '1h8mkkf 1h9bole 1h9kv0 1hasbba 1hbh1gb 1hdqx0e 1he5y1t 1hevswf 1hji1uy 1hkpxuk 1hmpl0t 1ho1ew6',
  '1hpent1 1hq3oq6 1hwsz7e 1hwwlt8 1hxqt23 1hy7a4d 1hzic9v 1i2x01x 1i518to 1i5xauc 1i7gfrj 1i9260d',
  '1ihplqa 1ihrmrs 1iixq05 1ijn8tu 1imzaxd 1ip0ag9 1ipzng8 1iqcz4z 1iqga5w 1ir0s5r 1isix70 1itnpjl',
  '1iuqy52 1ivotse 1ivym3j 1iw1yp6 1iz3fis 1izu1ql 1j0qh0k 1j1h7b9 1j6tdu9 1j9e0w6 1j9lgyy 1je3sfu',
  '1jesp53 1jfuy7i 1jgvuah 1jihlyt 1jitrzl 1jjyygh 1jkmduu 1jm4yzq 1jn9uzw 1jo8c1r 1jpc17h 1jqjkrl',
  '1js3v6p 1k486hu 1k5l6ra 1k810ag 1k8awka 1k8s4hv 1kcsx60 1kd8vou 1kdfsmo 1kdgs4h 1keig16 1kg9ruj',
  '1kgz3pt 1kkwuz0 1klzu01 1ko24r0 1kon85l 1ks03k2 1ks174j 1kur1sr 1kvf39w 1kyw8fh 1l0m5jy 1l1m58p',
  '1l27dcp 1l2a9zg 1l2gs6c 1l3ikgy 1l4uneb 1l7uuju 1l8mnw0 1l9xjni 1lb6oxg 1lb8m3v 1lbs33c 1lby156',
  '1ldfatx 1lfu7am 1lgtr39 1lhjlnn 1lim0w7 1lkndue 1llllk1 1lmai3 1lp1g7x 1lslp0l 1lu3wl6 1lxim9e',
  '1ly6l1c 1lyawqh 1lzqpob 1m22wbq 1m2j9mv 1m6fqie 1m6vqj8 1m83soe 1m8o23x 1m90mji 1mb38ed 1md1uk4',
  '1mdwqrb 1mgqfro 1mi6cjf 1mjarmn 1mm2zzs 1mm6ibi 1mnegd9 1mpgvuy 1mr4gl4 1mr6vn1 1myo1v7 1mzuoez',
  '1n2eneh 1n2erj5 1n65sut 1n68wj6 1n7i8fw 1n7mclw 1n9plxi 1na93sn 1naocwi 1nc1zen 1neaejn 1ned3l0',
  '1nen9ab 1ngfero 1ngtro8 1nifu1f 1nk2wcv 1nkb39r 1nl50iq 1nml5pf 1np80rj 1nq0mnj 1nqfyuo 1nsbygy',
  '1nwr1iq 1nx12c5 1nz5lz8 1o245s6 1o3swnt 1o4ovze 1o6s0oz 1o7bdt6 1o96zzy 1oa3zab 1oaq6ro 1ob8hgr',
  '1ocyg2w 1od7qcn 1odmxut 1oeq5s0 1ofl1ri 1ofpc69 1oh370a 1oja5df 1okjnf7 1olpbe1 1omibnl 1omvvk3',
  '1on6xi2 1onf5fc 1onztem 1oo4k4e 1opo2zh 1oqzoc1 1osldtf 1ostv8d 1oueusy 1ov2an9 1ow210p 1owbh62',
  '1oxa2xo 1oyyamu 1ozz49a 1p1fy07 1p3c5e5 1pa2obq 1panxck 1pchqzc 1pic70r 1pm8g09 1pmeudy 1polfjl',
  '1pon6fu 1pozawp 1pts5ps 1pupxhl 1puq9tz 1pvw3gx 1pw0dpo 1pw70wu 1pwjrbu 1pwoznp 1pwpu6a 1pxefqr',
  '1pxn6pr 1q07i76 1q0hi0o 1q1kyyk 1q23fzm 1q3iwes 1q3uq10 1q4vw6i 1q6ufxv 1qa1aqw 1qawpp0 1qcjqzd',
  '1qd61ou 1qe84k5 1qemg3n 1qiegr8 1qli7vp 1qloqbu 1qmjwj7 1qn2oo8 1qr0d8j 1qrxv6s 1qt6r0w 1qt90x7',
  '1qu7cr5 1qvoo2n 1qvrslf 1qwb7da 1qwfwlw 1qwtksu 1qxd3mm 1qz9gyy 1qzci52 1r0hbty 1r0swiq 1r1h6eh',
  '1r1nst3 1r1yugp 1r3glgb 1r45y2z 1r4u0jv 1r6jv9i 1r7u3pa 1r85fsl 1r8ir1e 1rbol2w 1rc4k59 1re37p1',
  '1rg1tf5 1rhxrs8 1rkrb6u 1rlowhp 1rlvach 1rnj8qt 1ro7rni 1rp0ly2 1rp3s63 1rspfs8 1rsr834 1rsvetu',
  '1rud61s 1ruttg0 1rx6axs 1ry1qql 1ry5x72 1ry61tz 1ryj8so 1s07efb 1s0asc 1s0va91 1s446xw 1s5j23w',
  '1s5vaaj 1sax7vk 1sduc3p 1seq7g 1sezdqr 1sg82wk 1siaf03 1sieil3 1sk2713 1sn2sv5 1snxlea 1soq4sv',
  '1spcudq 1sugdbe 1suoo7y 1sxwtm0 1syjtfk 1sz43a0 1t0uf51 1t193d9 1t51ucv 1t5kkhs 1t6v7mq 1tdzv6d',
  '1te059e 1tf7x7h 1tfl4e7 1tg68wf 1thf9hx 1tircer 1tmv5kz 1tn4nq3 1tr1vfy 1tv7mp3 1txvjoy 1u2ls7v',
  '1u6g5mn 1u6ia0 1u6m1ap 1u7htrt 1u91ww3 1u9t5ql 1ubj8wd 1uc95hx 1ucwy62 1udmzkf 1ufentq 1ukb60u',
  '1uknlev 1ulir12 1uln3w7 1unvnjw 1uosag2 1up0a0w 1ux8wvg 1v06xxg 1v1cjyw 1v1ezal 1v5y1h0 1v6iuzi',
  '1v8h278 1v8k26l 1v8ycoh 1vaiour 1vbeo2s 1vcgeh8 1vd1pua 1vg5zda 1vgvd4e 1vi711p 1vjh1xn 1vk2qio',
  '1vmtqnm 1vnyp3p 1vo3r9z 1vpi370 1vpqybv 1vsisc9 1vupmld 1vvj6b5 1vyv70t 1vzhmuh 1w3pspd 1wato5u',
  '1wbfx2h 1wc82mu 1wci53d 1wdbnsc 1wdcf6k 1wf4wdq 1wh62o1 1whm4u1 1wiuc7r 1wizkuv 1wlz62u 1wp8pl9',
  '1wrm01d 1wrpoac 1wsn6w3 1wt5as3 1wx57qd 1wyf1dt 1wz1sn 1x0fmu6 1x1ku91 1x1oyea 1x2gn4e 1x413kj',
  '1x581gq 1x5lmoz 1x6m25l 1x83q14 1x96ysz 1xb4vgb 1xeecer 1xh1wc1 1xkxr4 1xl2x2j 1xnd3m1 1xroq0s',
  '1xsccn8 1xuvco3 1xvkx4d 1xwdqgw 1xwke3v 1xy1jzf 1xz2v4c 1xzawnt 1y03o29 1y0shnt 1y6c5db 1y76fpq',
  '1y7db3l 1ycjj0x 1ycq2nf 1yczmhj 1yf5kit 1yfjyqy 1yfx3mv 1yi3xaf 1yij1tf 1yjnvcg 1ykkbzx 1ykzpkp',
  '1ylsqm8 1ypijlz 1ypje94 1yrzxs2 1yv6pj7 1ywep0h 1yx9hv8 1yxe4ec 1yzjqzl 24ljea 260dtj 26irbq',
  '290ifr 2a7c9s 2bgv1u 2eynla 2ffq4m 2ka3y2 2kc3ea 2pd5iz 2tvpzf 2u0cwl 2uk9p4 2v3ud2 2xfhh8',
  '2yaad5 355rd3 36licw 3700s 382bkg 38k9u1 39rpxx 3az4ka 3ek4aw 3ffben 3iogpk 3iqanz 3jgqr9 3llb4a',
  '3pdx5c 3pfghd 3spdn9 3tj5jp 3u0dxn 3uwz8x 3yc6vd 3ydlth 3yfu9s 420k8h 45y3f 46z8mo 48iipk 4e5vya',
  '4eg23t 4g2we0 4gcys4 4i62u3 4kuzlf 4muqkd 4pi1lq 4pox90 4snpwx 4um416 4unpjk 4wg4f 4wn6fd 4yz7a1',
  '4z650f 512zav 52dlwl 54xv9h 550b16 59xl4r 5acip5 5biya8 5eacez 5gbqby 5j1xsv 5jn42c 5jrfgy',
  '5kpk9g 5o2ib4 5r52yn 5scf26 5vgfo0 5vsbq2 5xw5zy 5yj67s 5z0egj 60jrql 6299k7 644xfa 65f4ya',
  '66ob06 69ojmw 6depmm 6dex9g 6g9o2n 6h7id4 6hqpwx 6iojxn 6kcmfp 6m1ioy 6n5438 6nh90v 6onr18',
  '6ppcfd 6shya2 6szyg6 70cw11 77p0b5 78c2dm 79crhl 79fbb1 7d2tm9 7ev2x4 7gd0a1 7i2ka8 7ip1l9',
  '7kfbdw 7o4972 7r9041 7rvv08 7tamrj 7vm2qv 7xjdx1 7xjkpc 85ddk0 893gpv 89omjg 8b8zds 8blmbz',
  '8ceqlm 8d0o6d 8g00n2 8ig4k7 8ilckn 8lgaik 8ljbrj 8mdeif 8msimi 8msmp9 8nui49 8q359m 8s2uos',
  '8t2kr8 8t6rjf 8v9aw0 8y9mds 8yimrq 8zrsxx 91baus 91o1cc 91z4zr 93i3m8 94vadm 97609c 99tyr4',
  '99ywdy 9dz6ro 9e7oi6 9et22v 9gwef8 9h8c2r 9hm4vx 9jv6nq 9lau5v 9lx65r 9lyo49 9majdu 9mwcdc',
  '9qotyb 9sgs48 9shkhy 9twk2x 9vaocp 9xagwj 9yow2k 9zj8pl a0e0nl a10l50 a2yl0y a32qxn a33vo8',
  'a54vyy a5k6xk a65a32 a6sw4z a82sax a82y9a a91ocp a92yxv abuphl ac31s7 afmonz akc478 am34p4',
  'anaxpi anevxa apboem apo1zi apu0s8 ar8si1 asailk astcyt astj1w atwece av2fq1 avoqoy aw9ov2',
  'awdnre axjqfv b01g4a b0xsqt b1mcmx b24num b2ghff b378ip b39c7 b41tms b44mly b5wizz b61ujn b6iulp',
  'b790zd b7nfsb b7ra91 bbr3ro bczrf2 bdszs4 beg3bb bkduri bluh7q bn1gt boijen bt7m08 btxm7q byy4gu',
  'c1jcvg c2gndq c2zm74 c97j5n ccbgn7 cdzjxw ce21j4 cepawe cg15vz cjbnm7 ck8azh ckizp6 cme20l',
  'cnbak8 co4kfk crgpda ct5t43 ct68xb cvkibl cvsxgc cwacww cwhlp5 cx6oj2 cyvkmv cz3ye4 czljvt',
  'd0nil8 d2w19p d5fyg9 d5qrbz d67q9w d9qohv d9twoq dagjih dalmz3 ddczko deh9if dfsu3b dihe6v',
  'dj2lue djk2uw dkvs7f dl3ic2 dnlif6 do6e5b dqdwzw dqeana dqqecd dqtaga drqyrd dskq24 dtnkci',
  'du76ot dubpvy dv2a53 dvu29v dwca3w dwonq2 dyxh8b dzvshn e1bc15 e2k5lx e2pdv1 e2s1mx e5c2tv',
  'e8wff3 e93any eaitxf ec8qjm ecf8g1 efc98 ejmrmb emssmw enbwns ep8s5m etw60i eulje1 ewgg0m ewkuv0',
  'ezhnow f3prtc f59xf6 f5yxbr f7ewmc f96uh2 fdj30j ffjwps fgqz9c fimcjp fkkntk fklnf9 fmrx4k',
  'fpw044 fso1uz fuifst fvje67 fw8c1d fwis0b fy75m6 fyw3ed fzxz2c g1yw9j g37lr3 g3ktw7 g3yp44',
  'g4lhuv g5e2bm g6y72a g8y206 gc7e2v gcrh65 gfqwve ggo4bw gh9ho1 gi7pse gjq03q gjrlg1 gkcatw',
  'gkzdjl goctqp gozf5r gqogfn gqu4ka gtqeb6 gu0kt gv1b26 gwsjg4 gz131h gz27zv gzqd1e gzw1jx h2ypzc',
  'h62vrt h7r7g2 h8phjk h98sr0 haiqh0 he3o4k heylg hfzb31 hn25u5 hobyxd hpgelx hpghy9 hpr7lr hq1n6c',
  'hq4mvg hqh0g4 hsxlbp hszb0l htw4ww hwh6ie hwza6u hzn9px i0gnwd i376g9 i3daem i3r95n i9xy4i',
  'iblmn6 ic6rg id3ta2 iejuzb if219q ii8tuc ij57oh ikzouo inpy57 int3or ip5ihf ipdchu iqw9zd itpwdp',
  'itx058 iuxkux ivalo7 ixkwtm j2br45 j4ziz7 j9crz j9efth j9nxg0 ja23x6 javc7p jfdeqd jgktso jhv8h7',
  'jmtwek jmuiku jnnjzx joau2t jpn0fg jts65k jupjlb jvn9ao jwn9ue jzslbx k0pwxz k21nm2 k2ig0r',
  'k37zbl k6wfdd kb1jnc kbrzyy kcukde kcyju4 ket102 kfvty3 khc6y6 kiv25x kivmbm kksazt kmzhdd',
  'kn98lz knzbrn kodam0 kogvf9 koowb9 kr2xze krip88 kstx7j ktkpig ktnf8d kvn343 kxk8tb kxn0x1',
  'kzihad l09oux l1urtf l7usjx l7wlyd l822id l8aiz0 l8ht3 l8nn6f l8uopn lbl30s lcswb1 ldiu2x lf1hi9',
  'lgn84a liyvkx llbkc4 lmjzh9 lmy4cp lq9ske lqon84 lr7vxa lsg32n lslud8 ltcrb4 lthyui lxz9ol',
  'lzsblu m05ezj m09ixn m1ta6t m1ub7y m3gnf7 m3tddq m6ycsd m77fh4 mboywf md9la3 mdb0p8 mgjor6',
  'mh2lyk miyb2n mk0489 mkt5hu mldxun mng5t9 mpx2wr muaiqm mv7vll mw2fot myp129 n1yvw n29039 n3dxx9',
  'n40unm n4g0o n5j4q0 n5qrjp n70wz5 n79phb n875w0 n897j1 n8go2v n8oq7q n9fcv1 ngo3h7 nh4bj3 nhcjrv',
  'nhiccx niagfe niv364 njbcvn nm8n08 noavh np2r5e nptve3 nqw8vu nr37vx nsv1ul nuio5a nuqw6w nxeo5l',
  'nxmdad o0063w o02fw8 o1xwnm o269h1 o3eoe7 o3qxah o48yjs o4nw0t o6v8ti o7aigp o7mg73 o7rnyr',
  'o95cme oae926 odxkih ogmnok ohd4kt oicamt ons713 ooype2 otodw5 ouki3u ov5jkp ovygaa ozv3n7',
  'p0uszq p35odu p3i6k4 p4rzrz p6ctpb p6d8vm p6ey5 p6iq3i p6yj8 p8v1m9 pc7p3q pcfh53 pha4yd pi9cyn',
  'piikr0 pllicp pn96w pnlp2w poebfg prrsud psqzdr ptrhjl pxtb5l q1mkcs q1p8kd q1rvxv q2fe9f q2t2l6',
  'q64doi q7npef q7ytdk q8miqs qbzvc9 qcau9o qdeet0 qdwajw qdywbd qg2cqy qg81bd qgnzoc qgvvbm',
  'qhu9zp qivguq qkrovg qp41e5 qrkf5b qrt5au qto7vs qu4rjf qv66py qw44dc qwmy3g qyxemi qzmga0',
  'r2wg33 r710jl r81y86 r9ow48 ra5zpa rb4ekw rbo839 rg4t0k rgzl5k ri369n rj9jnw rjgdl5 rlywdl',
  'rpqxl8 rrizdp rt4zka rub3wf rufzyc s1vsce s2510x s352oa s8akkk s8diaf s97tn2 sdmr2j seq4j5',
  'sexnl7 sg0ghl shat1q shljbu si275b si66h9 sjsbs1 sn4vtm snskae splr71 spzzi8 srvwxh st06nk',
  'suxr2t sx9dyt syqd3j t081ca t0e8uv t1d38h t3njno t4byt8 t85y4r talnoj tb05p3 tbd9vr tbs990',
  'tc505p tcjp3f tcn0ca tcse6g te7n84 teea0b tejv25 tkbibu tkgn0x tlxsk4 tmpwkb tq7d2u tqhpp0',
  'tumcbl tv0xiv tv6twh tvjv4j twt0mk tyhckc tzb2ms tzgfis tzq2j3 tzwxwt u1cw8o u4embw u4zmi7',
  'u57v8t u5y75x u6hvbt u6qxk9 u7f05u u9weym ue5i5u uf3a4j uff60x uhidy9 uhl0yt ulohne um2zto',
  'upncn6 uqmlfh ur2y1f usbp7v uuiq84 uw66vl uwubnz uwx329 uxbx3u v1bkb v1uf34 v3ekwq v3vqeq v492cy',
  'v67x88 vcaezo vhv0o1 vir1zz vkafhd vkkd4v vmmmr1 vmmr1z vnzw9m vsn4ij vsz8d8 vuj8mj vwokoe',
  'vx3r2i vxlu03 vy0x95 vybyq vyggs0 vyvr28 vz0a4r vz9hkn vzg3vt w0hhwp w3nx1v w3upb4 w402c0 w4q4g7',
  'w4qo58 w6k7ni w72wdb waqvb1 wd1erv we0kyc wjrnuh wmys43 wnms4g wo4a3w woqrxs wpskyn wr7wug',
  'wvluk1 wxeavq wxr3g wxz8d5 wy954h x064yw x23537 x4oalw x5gv3m x6t041 x7miya x850iv x9cx1b x9gbbv',
  'x9u90x xa5gfp xab85p xhy7st xnvupa xq3cw3 xvahox xx3r6t xyvecz xzbnea y1hi9i y4vrbr y52ica',
  'y57gm8 y5ah9n y5vv8g y65d7x y6n6vh y7rn2t y8vg3t yd5pa9 ye7cym yezp0u yfgjav ygw2ao yhqelc',
  'yi3fms yini8i yknpsj yl0ti9 yl40jw ynahla ynchge ynpo22 yo5e8m yp0nar yqw8wj yrb709 yywyyg',
  'yz9who yzhn3d z1iffv z5l6j4 z9gjde z9h9jc zbce22 zejfln zfl5i2 zh5s9d zhaufy zj5dqx zj6kt3',
  'zmi8q9 znlgs2 zopw2m zqngcw zt3n3e zu58c6 zy71b8 zzxtr7',
].join(' ');

const SEED_CANDIDATES = [
  process.env.SEED_NOTES,
  fileURLToPath(new URL('../../shared/seed/distributed-systems-notes.md', import.meta.url)),
  fileURLToPath(new URL('../seed/distributed-systems-notes.md', import.meta.url)),
].filter((p): p is string => typeof p === 'string' && p !== '');
const seedPath = SEED_CANDIDATES.find((p) => existsSync(p));

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[#`*>|_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
function sentences(text: string): string[] {
  return text
    .split(/\n|\t+|(?<=[.!?])\s+/)
    .map(norm)
    .map((s) => s.replace(/^[-–—:\s]+|\s+$/g, ''))
    .filter((s) => s.length > 30);
}
function words(text: string): string[] {
  return norm(text)
    .replace(/[^a-z0-9%' ]+/g, ' ')
    .split(' ')
    .filter(Boolean);
}
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
function shingles(text: string): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + 7 <= w.length; i++) out.add(fnv(w.slice(i, i + 7).join(' ')));
  return out;
}

/** Every text a card can show: title, idea, every story template, the suggestion. */
function cardTexts(): { id: ConceptId; text: string }[] {
  return CONCEPT_IDS.map((id) => {
    const c = CARDS[id];
    return { id, text: [c.title, c.idea, ...Object.values(c.stories).flat(), c.tryNext].join('\n') };
  });
}

describe('concept cards are written in the game’s own words', () => {
  const sentenceFps = SEED_SENTENCES.split(' ').map((x) => {
    const [len, hash] = x.split(':');
    return { len: Number(len), hash: hash! };
  });
  const lengths = [...new Set(sentenceFps.map((f) => f.len))];
  const fpSet = new Set(sentenceFps.map((f) => `${f.len}:${f.hash}`));
  const seedShingles = new Set(SEED_SHINGLES.split(' '));

  it('fingerprints match the course notes (when they are on this machine)', () => {
    if (seedPath === undefined) return;
    const seed = readFileSync(seedPath, 'utf8');
    const fresh = [...new Set(sentences(seed))].map((s) => `${s.length}:${fnv(s)}`);
    expect(new Set(fresh)).toEqual(fpSet);
    expect(shingles(seed)).toEqual(seedShingles);
  });

  for (const { id, text } of cardTexts()) {
    it(`${id}: no sentence over 30 characters from the notes`, () => {
      const t = norm(text.replace(/\{[^}]*\}/g, ' '));
      // A copied sentence starts where a word starts; hash forward from each word start
      // (FNV-1a is incremental) and look the prefix up at every fingerprinted length.
      const wanted = new Set(lengths);
      const longest = Math.max(...lengths);
      for (let p = 0; p < t.length; p++) {
        if (p > 0 && t[p - 1] !== ' ') continue;
        let hash = 0x811c9dc5;
        for (let i = 0; i < longest && p + i < t.length; i++) {
          hash = Math.imul(hash ^ t.charCodeAt(p + i), 0x01000193);
          const len = i + 1;
          if (!wanted.has(len)) continue;
          const key = `${len}:${(hash >>> 0).toString(36)}`;
          if (fpSet.has(key)) expect.fail(`${id} copies a sentence of the notes: "${t.slice(p, p + len)}"`);
        }
      }
      if (seedPath !== undefined) {
        for (const s of sentences(readFileSync(seedPath, 'utf8'))) expect(t.includes(s), `${id} copies "${s}"`).toBe(false);
      }
    });
    it(`${id}: no run of seven words from the notes`, () => {
      const w = words(text.replace(/\{[^}]*\}/g, ' '));
      for (let i = 0; i + 7 <= w.length; i++) {
        const run = w.slice(i, i + 7).join(' ');
        expect(seedShingles.has(fnv(run)), `${id} copies "${run}"`).toBe(false);
      }
    });
  }

  it('would catch a copied sentence', () => {
    const copied = norm('As soon as a write is acknowledged, any subsequent read (from any node) will return that updated value.');
    expect(fpSet.has(`${copied.length}:${fnv(copied)}`)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// The catalogue

describe('the catalogue', () => {
  const required: ConceptId[] = [
    'cap', 'strong-consistency', 'eventual-consistency', 'weak-consistency', 'nines', 'active-active',
    'active-passive', 'failover', 'replication', 'sharding', 'load-balancing', 'latency-throughput',
    'performance-scalability', 'quorum', 'split-brain', 'conflicts',
  ];
  it('has a card for every concept the game teaches', () => {
    expect([...CONCEPT_IDS].sort()).toEqual([...required].sort());
  });
  for (const id of required) {
    it(`${id} is complete`, () => {
      const c = CARDS[id];
      expect(c.id).toBe(id);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.idea.length).toBeGreaterThan(100);
      expect(c.tryNext.length).toBeGreaterThan(20);
      expect(Object.keys(c.stories).length).toBeGreaterThan(0);
    });
  }
  it('every placeholder in every story is a fact the round record provides', () => {
    const facts = roundFacts(richRound());
    for (const id of CONCEPT_IDS) {
      for (const [variant, templates] of Object.entries(CARDS[id].stories)) {
        for (const t of templates) expect(fill(t, facts), `${id}/${variant}: ${t}`).not.toBeNull();
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Rounds built by hand: the right cards, with the right numbers

const WINDOW = 1000;

/** A 60 s round: 100 requests a second, all fine unless a window is overridden. */
function round(over: {
  scenario?: RoundRecord['scenario'];
  settings?: ClusterSettings;
  events?: RoundEvent[];
  windows?: (w: WindowPoint) => WindowPoint;
  summary?: Partial<RoundRecord['summary']>;
  regions?: number;
}): RoundRecord {
  const scenario = over.scenario ?? 'bank';
  const sc = runnableScenario(scenario)!;
  const windows: WindowPoint[] = [];
  for (let i = 0; i < 60; i++) {
    const w: WindowPoint = { start: i * WINDOW, requests: 100, ok: 100, staleReads: 0, p99: 20, throughput: 100, reads: 70 };
    windows.push(over.windows ? over.windows(w) : w);
  }
  let requests = 0;
  let ok = 0;
  let stale = 0;
  for (const w of windows) {
    requests += w.requests;
    ok += w.ok;
    stale += w.staleReads;
  }
  const availability = ok / requests;
  return {
    scenario,
    sla: sc.sla,
    budgetLimit: sc.budget.limit,
    regions: over.regions ?? sc.topology.regions.length,
    nodes: 5,
    settings: over.settings ?? leaderFollowerCp(),
    summary: {
      requests,
      ok,
      availability,
      nines: availability >= 1 ? 9 : -Math.log10(1 - availability),
      p50: 4,
      p99: 20,
      throughputPerS: ok / 60,
      staleReads: stale,
      lostWrites: 0,
      conflicts: 0,
      divergence: 0,
      cost: 900,
      elections: 0,
      failovers: 0,
      refusedNoQuorum: 0,
      servedWithoutQuorum: 0,
      ...over.summary,
    },
    windows,
    windowMs: WINDOW,
    events: over.events ?? [],
    durationMs: 60_000,
  };
}

/** Every kind of trouble at once, so every fact is defined. */
function richRound(): RoundRecord {
  const rec = round({
    events: [
      { t: 5_000, kind: 'load-surge', durationMs: 10_000 },
      { t: 10_000, kind: 'partition-region' },
      { t: 20_000, kind: 'heal' },
      { t: 25_000, kind: 'crash-disk-loss', node: 1 },
      { t: 27_000, kind: 'restart', node: 1 },
      { t: 30_000, kind: 'hot-key' },
      { t: 31_000, kind: 'clock-skew' },
      { t: 32_000, kind: 'slow-node' },
      { t: 33_000, kind: 'drain', node: 2 },
      { t: 34_000, kind: 'scale-out' },
      { t: 34_000, kind: 'rebalance', text: 'Rebalancing: 40 key copies move' },
    ],
    windows: (w) => (w.start >= 10_000 && w.start < 20_000 ? { ...w, ok: 60, staleReads: 2, p99: 80, throughput: 60 } : w.start >= 5_000 && w.start < 10_000 ? { ...w, requests: 200, ok: 200, throughput: 200, p99: 60 } : w),
    summary: { lostWrites: 3, conflicts: 4, divergence: 0.02, refusedNoQuorum: 17, servedWithoutQuorum: 5, elections: 2, failovers: 1 },
  });
  // Two of shard 2's three copies lost their disks before it was copied again.
  return { ...rec, shardLosses: [{ shard: 2, replicas: [0, 1, 2], lost: 3, wiped: [{ node: 1, t: 25_000 }, { node: 2, t: 26_000 }], majority: true }] };
}

function ids(rec: RoundRecord, max?: number): ConceptId[] {
  return pickCards(rec, max).map((c) => c.id);
}
function card(rec: RoundRecord, id: ConceptId) {
  const c = pickCards(rec, 16).find((x) => x.id === id);
  expect(c, `card ${id} chosen`).toBeDefined();
  return c!;
}

describe('picking cards from a round', () => {
  it('a consistent cluster cut by a partition: CAP, told as the consistency choice, with its cost in nines', () => {
    const rec = round({
      events: [
        { t: 20_000, kind: 'partition-region', text: 'Network partition: region Backup data centre is cut off' },
        { t: 30_000, kind: 'heal' },
      ],
      // 10 windows of the split: 40 of 100 requests fail in each.
      windows: (w) => (w.start >= 20_000 && w.start < 30_000 ? { ...w, ok: 60 } : w),
      summary: { refusedNoQuorum: 312 },
    });
    const picked = ids(rec);
    expect(picked[0]).toBe('cap');
    expect(picked).toContain('nines');
    const cap = card(rec, 'cap');
    expect(cap.variant).toBe('cp');
    const story = cap.story.join(' ');
    expect(story).toContain('312'); // refused
    expect(story).toContain('400 requests failed'); // 10 windows × 40
    expect(story).toContain('10.0 s');
    expect(story).toContain('60%'); // availability during the split
    // 5,600 of 6,000 ok: 93.3 %, 1.2 nines, 24.3 days of downtime a year; outside the split, 9 nines.
    expect(story).toContain('1.2 nines');
    expect(story).toContain('24.3 d');
    expect(story).toContain('9.0 nines');
  });

  it('an available cluster under a partition: CAP told as the availability choice, with its stale reads', () => {
    const rec = round({
      scenario: 'feed',
      settings: leaderFollowerAp(),
      events: [
        { t: 20_000, kind: 'partition-random' },
        { t: 30_000, kind: 'heal' },
      ],
      windows: (w) => (w.start >= 20_000 && w.start < 30_000 ? { ...w, staleReads: 7 } : w),
      summary: { servedWithoutQuorum: 900 },
    });
    const cap = card(rec, 'cap');
    expect(cap.variant).toBe('ap');
    expect(cap.story.join(' ')).toContain('900');
    expect(cap.story.join(' ')).toContain('70 reads returned an out-of-date value, 70 of them');
    expect(ids(rec)).toContain('eventual-consistency');
    expect(card(rec, 'eventual-consistency').variant).toBe('stale');
  });

  it('a bank that served stale balances hears about strong consistency, broken', () => {
    const rec = round({ settings: leaderFollowerAp(), windows: (w) => (w.start === 5000 ? { ...w, staleReads: 3 } : w) });
    const c = card(rec, 'strong-consistency');
    expect(c.variant).toBe('broken');
    expect(c.story.join(' ')).toContain('3 reads were stale');
    expect(ids(rec)).toContain('strong-consistency');
  });

  it('a disk lost with one copy of each key: replication, with the lost writes counted', () => {
    const rec = round({
      settings: leaderFollowerCp({ replicationFactor: 1 }),
      events: [{ t: 15_000, kind: 'crash-disk-loss', node: 0 }],
      summary: { lostWrites: 41 },
    });
    expect(ids(rec)[0]).toBe('replication');
    const c = card(rec, 'replication');
    expect(c.variant).toBe('lost');
    expect(c.story.join(' ')).toContain('1 copy');
    expect(c.story.join(' ')).toContain('41 confirmed writes were gone');
  });

  it('leaderless quorums: the card says whether R + W > N', () => {
    const overlap = card(round({ settings: leaderlessQuorum() }), 'quorum');
    expect(overlap.variant).toBe('overlap');
    expect(overlap.story[0]).toContain('N = 3, W = 2, R = 2: R + W = 4, more than N');
    const one = card(round({ settings: leaderlessQuorum({ readQuorum: 'one', writeQuorum: 'one' }) }), 'quorum');
    expect(one.variant).toBe('no-overlap');
    expect(one.story[0]).toContain('R + W = 2, not more than N');
    expect(card(round({ settings: leaderlessOne() }), 'quorum').variant).toBe('sloppy');
    expect(ids(round({ settings: leaderFollowerCp() }), 16)).not.toContain('quorum');
  });

  it('a hot key brings the sharding card', () => {
    const rec = round({ scenario: 'inventory', events: [{ t: 10_000, kind: 'hot-key', durationMs: 20_000 }] });
    expect(ids(rec)).toContain('sharding');
    expect(card(rec, 'sharding').variant).toBe('hot');
  });

  it('a load surge compares throughput and p99 before and during it', () => {
    const rec = round({
      scenario: 'telemetry',
      settings: leaderlessOne(),
      events: [{ t: 30_000, kind: 'load-surge', durationMs: 10_000 }],
      windows: (w) => (w.start >= 30_000 && w.start < 40_000 ? { ...w, requests: 250, ok: 250, throughput: 250, p99: 180 } : w),
    });
    const c = card(rec, 'latency-throughput');
    expect(c.variant).toBe('surge');
    const s = c.story.join(' ');
    expect(s).toContain('finished 100 requests per second with a p99 of 20 ms');
    expect(s).toContain('throughput went to 250 per second while p99 went to 180 ms');
  });

  it('a round of a retired telemetry revision gets the cards a telemetry round gets', () => {
    // A replay of a round recorded before telemetry's requests became batches runs on 'telemetry@1'.
    const now = round({ scenario: 'telemetry', settings: leaderlessOne() });
    const old = round({ scenario: 'telemetry@1', settings: leaderlessOne() });
    expect(ids(old)).toContain('weak-consistency');
    expect(ids(old, 16)).toEqual(ids(now, 16));
  });

  it('skewed clocks under last-write-wins bring the conflicts card', () => {
    const rec = round({ scenario: 'cart', settings: leaderlessQuorum(), events: [{ t: 10_000, kind: 'clock-skew', node: 2 }], summary: { conflicts: 12, lostWrites: 2 } });
    const c = card(rec, 'conflicts');
    expect(c.variant).toBe('lww');
    expect(c.story.join(' ')).toContain('12 concurrent writes');
    expect(c.story.join(' ')).toContain('Clocks jumped once');
    const vv = card(round({ scenario: 'cart', settings: leaderlessQuorum({ conflictResolution: 'version-vectors' }), summary: { conflicts: 5 } }), 'conflicts');
    expect(vv.variant).toBe('vv');
  });

  it('crashes and failovers bring failover and active-passive', () => {
    const rec = round({ events: [{ t: 10_000, kind: 'crash', node: 0 }, { t: 12_000, kind: 'restart', node: 0 }], summary: { elections: 3, failovers: 2 } });
    const picked = ids(rec);
    expect(picked).toContain('failover');
    expect(picked).toContain('active-passive');
    expect(card(rec, 'failover').story.join(' ')).toContain('3 elections and 2 failovers');
  });

  it('a partition with elections that need no majority and no fencing: split brain, unsafe', () => {
    const rec = round({
      settings: leaderFollowerAp(),
      events: [{ t: 10_000, kind: 'partition-region' }, { t: 20_000, kind: 'heal' }],
      summary: { elections: 4, lostWrites: 6 },
    });
    const c = card(rec, 'split-brain');
    expect(c.variant).toBe('unsafe');
    expect(c.story.join(' ')).toContain('6 confirmed writes were lost');
    expect(card(round({ events: [{ t: 10_000, kind: 'partition-region' }] }), 'split-brain').variant).toBe('safe');
  });

  it('missing the SLA shows the nines card with the allowed and the actual downtime', () => {
    // A promise of three nines (whatever the bank's calibration), missed by one bad second.
    const rec = { ...round({ windows: (w) => (w.start === 40_000 ? { ...w, ok: 10 } : w) }), sla: { ...SCENARIOS.bank.sla, availability: 0.999 } };
    const c = card(rec, 'nines');
    expect(c.variant).toBe('missed');
    const s = c.story.join(' ');
    expect(s).toContain('5,910 of 6,000 requests succeeded: 98.5%');
    expect(s).toContain('99.9%');
    expect(s).toContain('8.8 h'); // what 99.9 % allows a year
    expect(s).toContain('0:40'); // the worst second
    expect(s).toContain('10%');
  });

  it('always includes the nines card, never more cards than asked, and nothing left unfilled', () => {
    for (const rec of [richRound(), round({}), round({ settings: leaderlessOne(), scenario: 'telemetry' })]) {
      for (const max of [1, 3, 5]) {
        const cards = pickCards(rec, max);
        expect(cards.length).toBeLessThanOrEqual(max);
        expect(cards.map((c) => c.id)).toContain('nines');
        for (const c of cards) {
          expect(c.story.length, `${c.id} has a story`).toBeGreaterThan(0);
          for (const s of c.story) expect(s, `${c.id}: ${s}`).not.toMatch(/[{}]|undefined|NaN|Infinity/);
        }
      }
    }
  });

  it('is deterministic', () => {
    expect(pickCards(richRound())).toEqual(pickCards(richRound()));
  });

  it('fills plurals and counts in words', () => {
    const facts = { a: '1', b: '2', c: '3', d: '1,200' };
    expect(fill('{a:times}, {b:times}, {c:times}', facts)).toBe('once, twice, 3 times');
    expect(fill('{a:copy:copies} and {d:copy:copies}', facts)).toBe('1 copy and 1,200 copies');
    expect(fill('{missing} here', facts)).toBeNull();
    expect(fillCard(CARDS.nines, 'no-such-variant', roundFacts(round({}))).story.length).toBeGreaterThan(0);
  });

  it('formats shares and counts the way the HUD does', () => {
    expect(percent(1)).toBe('100%');
    expect(percent(0.999)).toBe('99.9%');
    expect(percent(0.9995)).toBe('99.95%');
    expect(percent(0.99999)).toBe('99.999%');
    expect(percent(0.9999999)).toBe('99.99999%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.123)).toBe('12.3%');
    expect(percent(0)).toBe('0%');
    expect(int(1234567)).toBe('1,234,567');
    expect(int(-1200)).toBe('-1,200');
  });
});

// ---------------------------------------------------------------------------------------
// A real round from the simulation

describe('cards from a simulated round', () => {
  it('tutorial with a crash and a partition: the story carries the simulation’s own numbers', () => {
    const sim = runHeadless({ scenario: 'tutorial', preset: 'cp', chaos: 'heavy', seed: 7, durationMs: 45_000, recordHistory: false });
    const rec = roundRecordOf(sim);
    expect(rec.events.some((e) => e.kind === 'partition-random' || e.kind === 'partition-region')).toBe(true);
    const cards = pickCards(rec);
    expect(cards.map((c) => c.id)).toContain('cap');
    const nines = cards.find((c) => c.id === 'nines')!;
    expect(nines.story[0]).toContain(`${int(rec.summary.ok)} of ${int(rec.summary.requests)} requests succeeded`);
    expect(nines.story[0]).toContain(percent(rec.summary.availability));
    const cap = cards.find((c) => c.id === 'cap')!;
    expect(cap.variant).toBe('cp');
    expect(cap.story.join(' ')).toContain(int(rec.summary.refusedNoQuorum));
  });
});

describe('the debrief’s round record in the browser', () => {
  const sim = runHeadless({ scenario: 'tutorial', preset: 'cp', chaos: 'heavy', seed: 7, durationMs: 30_000, recordHistory: false });
  const full = roundRecordOf(sim);
  // As the schema sends them (server/rooms/projection.ts), with one window of total outage.
  const windows = sim.S.metrics.windows.slice(0, 30).map((w) => ({
    t: w.start, availability: w.requests === 0 ? 1 : Math.round((w.ok / w.requests) * 1e5) / 1e5, p99: w.p99, throughput: Math.round(w.throughput), staleReads: w.staleReads, requests: w.requests,
  }));
  windows[5] = { ...windows[5]!, availability: 0, throughput: 0, requests: 321 };
  const view = (debrief: unknown) =>
    ({ phase: 'debrief', windows, feed: [], nodes: [], settings: full.settings, durationMs: 30_000, measures: { budget: 1 }, scenario: SCENARIOS.tutorial, debrief }) as unknown as RoundView;

  it('charts the requests the server counted in each window, not an estimate', () => {
    const h = new RoundHistory();
    const v = view({ summary: full.summary });
    h.observe(v);
    const rec = h.record(v, full.summary as never);
    expect(rec.windows.map((w) => w.requests)).toEqual(windows.map((w) => w.requests));
    expect(rec.windows[5]!.ok).toBe(0);
    expect(rec.windows.map((w) => w.ok)).toEqual(sim.S.metrics.windows.slice(0, 30).map((w, i) => (i === 5 ? 0 : w.ok)));
  });

  it('uses the server’s whole-round record when the debrief carries one', () => {
    const h = new RoundHistory();
    const v = view({ summary: full.summary, record: full });
    h.observe(v);
    expect(h.record(v, full.summary as never)).toBe(full);
  });
});

describe('round events from a sim and the server’s command log', () => {
  it('an action in both keeps who did it and takes the simulation’s words', () => {
    const sim = createSim({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 2, durationMs: 30_000, recordHistory: false });
    advance(sim, 1000);
    expect(applyCommand(sim, { type: 'restart', node: 1 }).ok).toBe(true);
    advance(sim, 2000);
    const events = roundEventsOf(sim, [{ t: 1000, kind: 'restart', node: 1, by: 'Ada', text: 'Ada: restart on node 1' }, { t: 500, kind: 'drain', node: 2, by: 'Bo', text: 'Bo: drain on node 2' }]);
    const restarts = events.filter((e) => e.kind === 'restart');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ by: 'Ada', node: 1, text: 'Node 1 is restarting' });
    expect(events.find((e) => e.kind === 'drain')).toMatchObject({ by: 'Bo', text: 'Bo: drain on node 2' });
  });
});

describe('the moment a card is about (the debrief branches from just before it)', () => {
  it('is the first fault of the kind the concept explains, or the worst second for the nines', () => {
    const rec = richRound();
    expect(cardMoment(rec, 'cap')).toBe(10_000);
    expect(cardMoment(rec, 'split-brain')).toBe(10_000);
    expect(cardMoment(rec, 'failover')).toBe(25_000);
    expect(cardMoment(rec, 'replication')).toBe(25_000);
    expect(cardMoment(rec, 'sharding')).toBe(30_000);
    expect(cardMoment(rec, 'load-balancing')).toBe(32_000);
    expect(cardMoment(rec, 'latency-throughput')).toBe(5_000);
    expect(cardMoment(rec, 'nines')).toBe(10_000);
  });

  it('is none when the round had nothing of the kind, and none for the nines of a flawless round', () => {
    const calm = round({});
    for (const id of Object.keys(CARDS) as ConceptId[]) expect(cardMoment(calm, id), id).toBeNull();
  });
});
